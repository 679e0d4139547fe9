"""The bundle's entry point: the same `trubka` command as the installed script."""

import sys

from trubka.desktop.cli import main

if __name__ == "__main__":
    sys.exit(main())

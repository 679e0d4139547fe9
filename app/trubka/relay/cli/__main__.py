import sys

from trubka.relay.cli import main

sys.exit(main())

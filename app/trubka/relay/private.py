"""Files only the relay's own user may read (issue 10 item 13).

The database holds provider secrets (API keys, webhook tokens) in clear, enrolment-link
files sign people in: they are created 0600 from the first byte (never written first
and narrowed after), in a data directory created 0700. SQLite creates its `-wal` and
`-shm` files with the database file's mode, so a private database keeps them private.
"""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path

log = logging.getLogger("trubka.relay")

FILE_MODE = 0o600
DIR_MODE = 0o700


def private_dir(path: Path) -> None:
    """Create `path` (and missing parents) 0700; an existing directory is left as the
    administrator made it, with a warning when others can read it."""
    if not path.exists():
        path.mkdir(mode=DIR_MODE, parents=True)
        path.chmod(DIR_MODE)  # mkdir's mode is narrowed by the umask, never widened
        return
    if path.stat().st_mode & 0o077:
        log.warning("%s is readable by other users; the relay's database in it holds "
                    "provider secrets (chmod 700 it)", path)


def private_file(path: Path) -> None:
    """Make sure `path` exists with mode 0600 (created so; narrowed if it was wider)."""
    fd = os.open(path, os.O_CREAT | os.O_WRONLY, FILE_MODE)
    os.close(fd)
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        path.chmod(FILE_MODE)
        log.warning("%s was readable by other users (mode %o): now 0600", path, mode)


def database_files(database: Path) -> None:
    """The SQLite database and its journal files, private before SQLite opens them."""
    private_dir(database.parent)
    private_file(database)
    for suffix in ("-wal", "-shm"):
        sidecar = database.with_name(database.name + suffix)
        if sidecar.exists():
            private_file(sidecar)


def write_private(path: Path, text: str) -> None:
    """Write `text` to a file created 0600 (an existing file is narrowed first)."""
    fd = os.open(path, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, FILE_MODE)
    with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
        if stat.S_IMODE(os.fstat(out.fileno()).st_mode) & 0o077:
            os.fchmod(out.fileno(), FILE_MODE)
        out.write(text)

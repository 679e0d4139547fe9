"""Check that the .deb's Depends cover every system library the bundle links to, and print
the Depends field.

    python3 packaging/linux/check_depends.py BUNDLE_DIR packaging/linux/depends.txt

For each ELF file in BUNDLE_DIR, `ldd` lists the libraries it loads; those outside the
bundle must belong (`dpkg -S`) to a package in depends.txt or in what those packages
depend on (`dpkg-query`, recursively). Libraries `ldd` cannot find are allowed only for
Optional Qt plugins that load only where their desktop offers what they link to (the GTK
theme, Wayland, GL integrations, input methods) are not checked. Exit 1, naming what is
missing.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from functools import cache
from pathlib import Path

OPTIONAL = re.compile(r"/(platformthemes|wayland-[^/]+|xcbglintegrations|"
                      r"platforminputcontexts)/|/platforms/libqwayland|libQt6(Wayland|WlShell)")
_LDD = re.compile(r"^\s*(\S+) => (not found|(\S+) \(0x[0-9a-f]+\))")


def elf_files(root: Path) -> list[Path]:
    found = []
    for path in root.rglob("*"):
        if path.is_file() and not path.is_symlink():
            with path.open("rb") as fh:
                if fh.read(4) == b"\x7fELF":
                    found.append(path)
    return found


def ldd(path: Path, search: Path) -> list[tuple[str, str | None]]:
    """(soname, resolved path or None), resolved as the bundle's loader does: its own
    directory first (PyInstaller's bootloader sets LD_LIBRARY_PATH to it)."""
    env = {**os.environ, "LD_LIBRARY_PATH": str(search)}
    out = subprocess.run(["ldd", str(path)], capture_output=True,  # noqa: S603, S607
                         text=True, check=False, env=env)
    result = []
    for line in out.stdout.splitlines():
        match = _LDD.match(line)
        if match:
            result.append((match.group(1), None if match.group(2) == "not found"
                           else match.group(3)))
    return result


@cache
def owner(path: str) -> str | None:
    real = os.path.realpath(path)
    candidates = {path, real}
    for p in list(candidates):
        if p.startswith("/usr/lib/"):
            candidates.add(p[len("/usr"):])
        elif p.startswith("/lib/"):
            candidates.add("/usr" + p)
    for candidate in sorted(candidates):
        out = subprocess.run(["dpkg", "-S", candidate],  # noqa: S603, S607
                             capture_output=True, text=True, check=False)
        if out.returncode == 0:
            return out.stdout.split(":", 1)[0].strip()
    return None


def parse_depends(text: str) -> list[list[str]]:
    """Groups of alternatives, names only (versions and architectures dropped)."""
    groups = []
    for group in text.split(","):
        names = [re.split(r"[\s(:]", alt.strip(), maxsplit=1)[0] for alt in group.split("|")]
        if names and names[0]:
            groups.append(names)
    return groups


def closure(roots: list[str]) -> set[str]:
    """Installed packages reachable from `roots` through Depends and Pre-Depends."""
    seen: set[str] = set()
    todo = list(roots)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        fields = "${Status}|${Depends}, ${Pre-Depends}\\n"
        out = subprocess.run(["dpkg-query", "-W", "-f", fields, name],  # noqa: S603, S607
                             capture_output=True, text=True, check=False)
        line = out.stdout.strip().splitlines()[0] if out.stdout.strip() else ""
        if "install ok installed" not in line:
            continue  # an alternative not installed here, or a virtual package
        seen.add(name)
        for group in parse_depends(line.split("|", 1)[1]):
            todo.extend(group)
    return seen


def main(argv: list[str]) -> int:
    root, listing = Path(argv[0]).resolve(), Path(argv[1])
    lines = [ln.strip() for ln in listing.read_text().splitlines()
             if ln.strip() and not ln.startswith("#")]
    groups = [parse_depends(ln)[0] for ln in lines]
    covered = closure([name for group in groups for name in group])
    missing: dict[str, set[str]] = {}
    absent: set[str] = set()
    for elf in elf_files(root):
        if OPTIONAL.search(str(elf)):
            continue  # loads only where its desktop provides what it links to
        for soname, path in ldd(elf, root / "_internal"):
            if path is None:
                absent.add(f"{soname} (needed by {elf.relative_to(root)})")
                continue
            if Path(os.path.realpath(path)).is_relative_to(root):
                continue
            package = owner(path)
            if package is None or package.split(":")[0] not in covered:
                missing.setdefault(str(package), set()).add(soname)
    for item in sorted(absent):
        print(f"not found on this system: {item}", file=sys.stderr)
    for package, sonames in sorted(missing.items()):
        print(f"not covered by depends.txt: {package} ({', '.join(sorted(sonames))})",
              file=sys.stderr)
    if missing or absent:
        return 1
    print(", ".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

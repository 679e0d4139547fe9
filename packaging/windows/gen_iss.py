"""Write the generated parts of trubka.iss from trubka.desktop.platform, so the installer
and `trubka integrate` register exactly the same things.

    python packaging/windows/gen_iss.py          # rewrite the generated blocks in place
    python packaging/windows/gen_iss.py --check  # exit 1 when trubka.iss is out of date

Blocks sit between `; BEGIN GENERATED <name>` and `; END GENERATED <name>` lines:
`defines` (names the script uses) and `registry` (the [Registry] section).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ISS = HERE / "trubka.iss"
sys.path.insert(0, str(HERE.parents[1] / "app"))  # from a checkout, installed or not

from trubka.desktop.platform import APP_NAME, AUMID, windows  # noqa: E402

APP_EXE = r"{app}\trubka.exe"
_MARK = "\x00exe\x00"  # stands for the installed program until rendered as {app}\trubka.exe
FLAGS = {windows.TREE: "uninsdeletekey", windows.VALUE: "uninsdeletevalue",
         windows.EMPTY: "uninsdeletekeyifempty", windows.INSIDE: ""}


def inno_string(text: str) -> str:
    """A quoted Inno Setup parameter value: `"` doubled, `{` escaped as `{{`, and the
    program placeholder turned into the {app} constant."""
    return '"' + text.replace('"', '""').replace("{", "{{").replace(_MARK, APP_EXE) + '"'


def registry_line(entry: windows.Entry) -> str:
    parts = ["Root: HKA", f"Subkey: {inno_string(entry.key)}"]
    if entry.name is None:
        parts.append("ValueType: none")
    else:
        parts += ["ValueType: string", f"ValueName: {inno_string(entry.name)}",
                  f"ValueData: {inno_string(entry.data)}"]
    if FLAGS[entry.uninstall]:
        parts.append(f"Flags: {FLAGS[entry.uninstall]}")
    if entry.task:
        parts.append(f"Tasks: {entry.task}")
    return "; ".join(parts)


def entries() -> list[windows.Entry]:
    """What the installer writes: the registration plus the optional Run value."""
    return [*windows.registration(_MARK), windows.run_at_login([_MARK])]


def blocks() -> dict[str, str]:
    defines = [f'#define AppName "{APP_NAME}"', f'#define AppUserModelID "{AUMID}"',
               f'#define DefaultAppsUri "{windows.default_apps_uri()}"']
    registry = ["[Registry]", "; HKA is HKCU here: the installer always runs per user."]
    registry += [registry_line(e) for e in entries()]
    return {"defines": "\n".join(defines), "registry": "\n".join(registry)}


def render(text: str) -> str:
    for name, body in blocks().items():
        pattern = re.compile(rf"(; BEGIN GENERATED {name}[^\n]*\n).*?(; END GENERATED {name})",
                             re.DOTALL)
        if not pattern.search(text):
            raise SystemExit(f"trubka.iss has no generated block {name!r}")
        text = pattern.sub(lambda m, b=body: m.group(1) + b + "\n" + m.group(2), text)
    return text


def main(argv: list[str]) -> int:
    current = ISS.read_text(encoding="utf-8-sig")
    wanted = render(current)
    if "--check" in argv:
        if wanted != current:
            print("trubka.iss is out of date: run python packaging/windows/gen_iss.py",
                  file=sys.stderr)
            return 1
        return 0
    ISS.write_text(wanted, encoding="utf-8-sig", newline="\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

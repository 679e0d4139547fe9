"""Linux desktop entries (the .deb's menu entry, `trubka integrate`'s URL handler, the
autostart entry), written as the Desktop Entry specification says.

`Exec` is not a shell command line: an argument with a reserved character goes in
double quotes, inside which `"`, `` ` ``, `$` and `\\` take a backslash; the whole value is
then a "string", whose own escaping doubles every backslash (so a literal backslash in a
quoted argument is four in the file); and `%` is `%%` because `%x` are field codes.

`python -m trubka.desktop.platform.linux menu-entry /usr/bin/trubka` prints the .deb's
entry (the package build uses it, so there is one generator).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from trubka.desktop.platform import APP_ID, APP_NAME, SCHEMES

DESKTOP_FILE = f"{APP_ID}.desktop"
# Characters that force an argument into double quotes (Desktop Entry spec, "The Exec key").
RESERVED = frozenset(" \t\n\"'\\><~|&;$*?#()`")
_IN_QUOTES = {c: "\\" + c for c in '"`$\\'}
_STRING = {"\\": "\\\\", "\n": "\\n", "\t": "\\t", "\r": "\\r"}


def exec_argument(arg: str) -> str:
    """One argument, quoted when the spec requires it (before string escaping)."""
    if arg and not RESERVED.intersection(arg):
        return arg
    return '"' + "".join(_IN_QUOTES.get(c, c) for c in arg) + '"'


def exec_value(command: Sequence[str], field_code: str = "") -> str:
    """The value of an `Exec=` key running `command` (program + arguments), followed by a
    field code such as `%u` when given."""
    if not command or "=" in command[0]:
        raise ValueError("the program path must be non-empty and contain no '='")
    quoted = " ".join(exec_argument(a) for a in command)
    value = "".join(_STRING.get(c, c) for c in quoted).replace("%", "%%")
    return f"{value} {field_code}" if field_code else value


def _entry(lines: dict[str, str]) -> str:
    for key, value in lines.items():
        if any(c in value for c in "\n\r"):
            raise ValueError(f"{key} must be one line")
    return "[Desktop Entry]\n" + "".join(f"{k}={v}\n" for k, v in lines.items())


def app_entry(command: Sequence[str]) -> str:
    """The application's entry: in the menu, and the handler of every link scheme."""
    mimes = "".join(f"x-scheme-handler/{s};" for s in SCHEMES)
    return _entry({
        "Type": "Application",
        "Name": APP_NAME,
        "Name[ru]": "Трубка",
        "GenericName": "Call popups",
        "GenericName[ru]": "Всплывающие звонки",
        "Comment": "Call popups and click-to-call for tel:, callto: and sip: links",
        "Comment[ru]": "Карточки звонков и звонок по ссылкам tel:, callto: и sip:",
        "Exec": exec_value(command, "%u"),
        "Icon": APP_ID,
        "Terminal": "false",
        "Categories": "Network;Telephony;",
        "Keywords": "phone;call;PBX;telephony;",
        "MimeType": mimes,
        "StartupNotify": "false",
    })


def autostart_entry(command: Sequence[str]) -> str:
    """An XDG autostart entry (`~/.config/autostart`) starting `command` at login."""
    return _entry({
        "Type": "Application",
        "Name": APP_NAME,
        "Exec": exec_value(command),
        "Icon": APP_ID,
        "Terminal": "false",
        "X-GNOME-Autostart-enabled": "true",
    })


def forget_defaults(text: str, desktop_file: str = DESKTOP_FILE) -> str:
    """`mimeapps.list` text without `desktop_file` in [Default Applications] (what
    `xdg-mime default` wrote for us); every other line is kept as it was."""
    out, section = [], ""
    for line in text.splitlines(keepends=True):
        stripped = line.strip()
        if stripped.startswith("["):
            section = stripped
        elif section == "[Default Applications]" and "=" in stripped:
            key, _, value = stripped.partition("=")
            kept = [v for v in value.split(";") if v and v != desktop_file]
            if kept != [v for v in value.split(";") if v]:
                if kept:
                    out.append(f"{key}={';'.join(kept)};\n")
                continue
        out.append(line)
    return "".join(out)


def main(argv: Sequence[str]) -> int:  # pragma: no cover - exercised by build-deb.sh
    if len(argv) >= 2 and argv[0] == "menu-entry":
        sys.stdout.write(app_entry(argv[1:]))
        return 0
    print("usage: python -m trubka.desktop.platform.linux menu-entry PROGRAM [ARGS...]",
          file=sys.stderr)
    return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main(sys.argv[1:]))

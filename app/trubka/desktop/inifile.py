"""The small INI dialect of Trubka's files: `key = value` lines (section headers and
comments ignored), new lines escaped as `\\n`. Written atomically."""

from __future__ import annotations

import os
from pathlib import Path


def read_ini(path: Path) -> dict[str, str]:
    """The file's keys; {} when it cannot be read. UTF-8 (with or without a BOM), or
    UTF-16 with a BOM (what Windows' own INI functions may write, e.g. an installer)."""
    try:
        raw = path.read_bytes()
    except OSError:
        return {}
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = raw.decode("utf-16", errors="replace")
    else:
        text = raw.decode("utf-8-sig", errors="replace")
    out = {}
    for line in text.splitlines():
        if "=" in line and not line.lstrip().startswith(("#", ";", "[")):
            key, _, value = line.partition("=")
            out[key.strip()] = value.strip().replace("\\n", "\n")
    return out


def write_ini(path: Path, data: dict[str, str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    newline, escaped = "\n", "\\n"
    body = "[trubka]\n" + "".join(f"{k} = {v.replace(newline, escaped)}\n"
                                  for k, v in data.items())
    tmp.write_text(body, encoding="utf-8")
    os.replace(tmp, path)

"""Log hygiene: no value a sender controls can start a line of the relay's log
(issue 10 item 8).

A webhook field with a newline, logged as it came, would let a sender forge log lines
("… INFO trubka.relay: call … answered"); a terminal escape would let it rewrite what an
operator sees. Rather than trust every call site to quote its arguments, the relay
installs a log record factory: every record, from any logger (the relay's, uvicorn's,
httpx's), has its message rendered once and its control characters escaped (`\\n`,
`\\r`, `\\x1b`, `\\u2028`, …) before any handler or formatter sees it. Tracebacks, which
formatters append on lines of their own, are the relay's own text and stay as they are.
"""

from __future__ import annotations

import logging
import re
from typing import Any

_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _table() -> dict[int, str]:
    table: dict[int, str] = {}
    for code in [*range(0x20), 0x7F, *range(0x80, 0xA0), 0x2028, 0x2029]:
        char = chr(code)
        table[code] = _NAMED.get(char) or (
            f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
    for code in (0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)):
        table[code] = f"\\u{code:04x}"  # bidirectional overrides (reordered log text)
    return table


ESCAPES = _table()
_UNSAFE = re.compile("[" + "".join(re.escape(chr(c)) for c in ESCAPES) + "\ud800-\udfff]")


def escape_controls(text: str) -> str:
    """`text` on one line: control and bidi-control characters written as escapes, and
    lone surrogates (which no UTF-8 log file can hold) as `\\udxxx`."""
    escaped = text.translate(ESCAPES)
    try:
        escaped.encode("utf-8")
    except UnicodeEncodeError:
        escaped = escaped.encode("utf-8", "backslashreplace").decode("utf-8")
    return escaped


_installed: list[Any] = []


def install() -> None:
    """Escape every log record's message from now on (idempotent)."""
    if _installed:
        return
    previous = logging.getLogRecordFactory()

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        try:
            message = record.getMessage()
        except Exception:  # a bad format string: leave it to the handler to report
            return record
        if _UNSAFE.search(message):  # else untouched, args and all
            record.msg, record.args = escape_controls(message), None
        return record

    logging.setLogRecordFactory(factory)
    _installed.append(factory)

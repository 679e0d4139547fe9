"""CSV cells a spreadsheet will not run (OWASP "CSV injection"; issue 10 item 14).

A cell that starts with `=`, `+`, `-` or `@` (or a tab or carriage return, which some
spreadsheets skip before looking) is read as a formula by Excel, LibreOffice and Google
Sheets: `=HYPERLINK(…)` in a contact's name would run in the office of whoever opens the
export. `neutralise` prefixes such a cell with `'`, which every spreadsheet takes as
"this is text". Every CSV the relay writes (the address book export, enrolment links,
the console's journal export) passes each cell through it.

Phones are written in E.164 (`+79991234567`), so a phones cell starts with `+` and is
prefixed like any other: a spreadsheet shows it as text (never as the number
79991234567 or a formula), and `restore` — which the address-book import applies to
every cell — takes the prefix off again, so an export re-imports unchanged. A cell that
itself starts with `'` gets one more, so the round trip is lossless for every text.
"""

from __future__ import annotations

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
PREFIX = "'"


def neutralise(cell: str) -> str:
    """`cell` as a spreadsheet will show it and never evaluate it."""
    if cell.startswith(TRIGGERS) or cell.startswith(PREFIX):
        return PREFIX + cell
    return cell


def restore(cell: str) -> str:
    """The text `neutralise` was given (a cell it did not touch is returned as it is)."""
    if cell.startswith(PREFIX) and cell[1:].startswith((*TRIGGERS, PREFIX)):
        return cell[1:]
    return cell

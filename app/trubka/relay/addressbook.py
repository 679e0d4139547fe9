"""Address book files: CSV and vCard in, CSV and vCard out (SPEC F4, R5).

Imports are all-or-nothing: every row is checked first and a file with any bad row is
refused with the list of what is wrong and where, so nothing is half-imported.

CSV columns (header row required, names case-insensitive): `name`, `company`,
`phones` (several separated by `;` or `,`; `phone`, `phone2`, … also work), `email`,
`responsible_ext`, `note`, `crm_url`. Exported cells that a spreadsheet would run as a
formula (`=`, `+`, `-`, `@`, so every E.164 phones cell) carry a `'` in front, which the
import takes off again (core/csvcells.py): an export re-imports unchanged.
"""

from __future__ import annotations

import base64
import binascii
import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import vobject

from trubka.core.contacts import Contact, ContactInvalid, validate
from trubka.core.csvcells import neutralise, restore

CSV_FIELDS = ["name", "company", "phones", "email", "responsible_ext", "note", "crm_url"]
MAX_FILE = 200 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class ImportProblem:
    where: str  # "line 7" or "card 3"
    reason: str

    def __str__(self) -> str:
        return f"{self.where}: {self.reason}"


class ImportRefused(ValueError):
    def __init__(self, problems: list[ImportProblem]) -> None:
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems


def read_file(path: Path, country: str) -> list[Contact]:
    if path.stat().st_size > MAX_FILE:
        raise ImportRefused([ImportProblem(str(path), "file is larger than 200 MB")])
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise ImportRefused([ImportProblem(str(path), "not UTF-8 text")]) from None
    if path.suffix.lower() in (".vcf", ".vcard"):
        return parse_vcards(text, country)
    return parse_csv(text, country)


def _checked(fields: dict[str, object], country: str, where: str,
             problems: list[ImportProblem], out: list[Contact]) -> None:
    """The one validation path (core.contacts.validate), problems noted with `where`."""
    try:
        out.append(validate(fields, country))
    except ContactInvalid as exc:
        problems.extend(ImportProblem(where, f"{field}: {reason}")
                        for field, reason in exc.problems.items())


def parse_csv(text: str, country: str) -> list[Contact]:
    problems: list[ImportProblem] = []
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    if "name" not in header:
        raise ImportRefused([ImportProblem("line 1", "no 'name' column in the header")])
    reader.fieldnames = header
    out: list[Contact] = []
    for row in reader:
        where = f"line {reader.line_num}"
        if None in row:
            problems.append(ImportProblem(where, "more fields than the header has"))
            continue
        # cells a Trubka export prefixed against formula injection (core/csvcells.py)
        values = {k: restore(v or "").strip() for k, v in row.items()}
        phones = [p for chunk in values.get("phones", "").split(";") for p in chunk.split(",")]
        phones += [v for k, v in values.items() if k.startswith("phone") and k != "phones"]
        fields: dict[str, object] = {k: values.get(k, "") for k in CSV_FIELDS}
        fields["phones"] = phones
        _checked(fields, country, where, problems, out)
    if problems:
        raise ImportRefused(problems)
    return out


def parse_vcards(text: str, country: str) -> list[Contact]:
    problems: list[ImportProblem] = []
    out: list[Contact] = []
    try:
        cards = list(vobject.readComponents(text, ignoreUnreadable=False))
    except Exception as exc:  # vobject raises its own ParseError and plain ValueErrors
        raise ImportRefused([ImportProblem("file", f"not a vCard file ({exc})")]) from None
    for index, card in enumerate(cards, 1):
        where = f"card {index}"
        if card.name != "VCARD":
            problems.append(ImportProblem(where, f"not a VCARD but {card.name}"))
            continue
        try:
            name = _value(card, "fn")
            if not name and "n" in card.contents:
                name = " ".join(str(card.n.value).split())
            org = card.contents.get("org", [])
            company = _text(org[0]).strip(";") if org else ""
            fields: dict[str, object] = {
                "name": name, "company": company,
                "phones": [_text(t) for t in card.contents.get("tel", [])],
                "email": _value(card, "email"), "note": _value(card, "note"),
                "responsible_ext": _value(card, "x-trubka-responsible"),
                "crm_url": _value(card, "url")}
        except ValueError as exc:
            problems.append(ImportProblem(where, str(exc)))
            continue
        _checked(fields, country, where, problems, out)
    if problems:
        raise ImportRefused(problems)
    return out


def _decoded(value: object) -> str:
    """A property's value as text: base64 (`ENCODING=b`) values arrive as bytes."""
    if isinstance(value, bytes):
        try:
            return value.decode("utf-8")
        except UnicodeDecodeError:
            raise ValueError("a binary value where text was expected") from None
    return str(value)


def _text(prop: vobject.base.ContentLine) -> str:
    """A property's value as text, however the card wrote it. vobject decodes a base64
    (`ENCODING=b`) value to bytes for most properties but leaves it as base64 text in
    structured ones (ORG's components): both are decoded here."""
    value = prop.value
    if isinstance(value, list):
        value = ";".join(str(v) for v in value)
    encoding = [str(e).lower() for e in prop.params.get("ENCODING", [])]
    if isinstance(value, str) and ("b" in encoding or "base64" in encoding):
        try:
            value = base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError):
            raise ValueError("a base64 value that is not base64") from None
    return _decoded(value)


def _value(card: vobject.base.Component, key: str) -> str:
    items = card.contents.get(key, [])
    return _text(items[0]).strip() if items else ""


def write_csv(records: Iterable[Contact]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_FIELDS)
    for r in records:
        writer.writerow([neutralise(cell) for cell in (
            r.name, r.company, "; ".join(p.canonical for p in r.phones), r.email,
            r.responsible_ext, r.note, r.crm_url)])
    return buffer.getvalue()


def write_vcards(records: Iterable[Contact]) -> str:
    chunks = []
    for r in records:
        card = vobject.vCard()
        card.add("fn").value = r.name
        card.add("n").value = vobject.vcard.Name(given=r.name)
        if r.company:
            card.add("org").value = [r.company]
        for phone in r.phones:
            tel = card.add("tel")
            tel.value = phone.canonical
            tel.type_param = "VOICE"
        for key, value in (("email", r.email), ("note", r.note), ("url", r.crm_url),
                           ("x-trubka-responsible", r.responsible_ext)):
            if value:
                card.add(key).value = value
        chunks.append(card.serialize())
    return "".join(chunks)

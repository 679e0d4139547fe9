"""Hardened, namespace-agnostic XML reading for the XML-speaking PBXs (Beeline, Mobilon).

`defusedxml` refuses DTDs, entities and external references; the relay has already
capped the body size (64 KiB). Elements are found by local name, whatever prefix or
namespace a PBX build happens to use.
"""

from __future__ import annotations

import codecs
import re
from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from trubka.core.errors import InvalidParameters

MAX_TEXT = 2048
# The encodings a PBX may declare: expat's own, and the Cyrillic code pages a Russian
# PBX build might use. Any other name would be looked up among *all* Python codecs
# (`rot13`, `unicode_escape`, `zlib`, …), which either fail with an error expat does
# not expect (a LookupError, once a 500) or decode in ways no PBX means.
ENCODINGS = frozenset({"utf-8", "utf-16", "iso8859-1", "ascii", "cp1251", "koi8-r"})
_DECLARATION = re.compile(rb"""^\s*<\?xml[^>]*?\bencoding\s*=\s*["']([^"']{0,40})["']""")


def declared_encoding(body: bytes) -> str | None:
    """The encoding an ASCII-compatible XML declaration names, normalised (`UTF8`,
    `utf_8` → `utf-8`); None when there is no declaration or it names none. Raises
    InvalidParameters for a name outside ENCODINGS."""
    found = _DECLARATION.match(body[:200])
    if found is None:
        return None
    name = found.group(1).decode("ascii", "replace")
    try:
        normal = codecs.lookup(name).name
    except LookupError:
        normal = ""
    if normal not in ENCODINGS:
        raise InvalidParameters(f"XML declares an unsupported encoding {name[:40]!r}")
    return normal


def parse(body: bytes) -> Element:
    if not body.strip():
        raise InvalidParameters("empty body")
    declared_encoding(body)
    try:
        return SafeET.fromstring(body, forbid_dtd=True)
    except (ParseError, DefusedXmlException, ValueError, UnicodeError, TypeError,
            LookupError) as exc:
        raise InvalidParameters(f"not XML: {type(exc).__name__}") from exc


def local(tag: object) -> str:
    """`{http://schema.broadsoft.com/xsi}call` → `call`."""
    if not isinstance(tag, str):  # comments and processing instructions
        return ""
    return tag.rsplit("}", 1)[-1]


def child(parent: Element | None, name: str) -> Element | None:
    if parent is None:
        return None
    for item in parent:
        if local(item.tag) == name:
            return item
    return None


def find(parent: Element | None, *path: str) -> Element | None:
    for name in path:
        parent = child(parent, name)
    return parent


def text(parent: Element | None, *path: str) -> str:
    """The stripped text at `path` under `parent`, "" when absent."""
    element = find(parent, *path)
    if element is None or element.text is None:
        return ""
    value = element.text.strip()
    if len(value) > MAX_TEXT or "\x00" in value:
        raise InvalidParameters(f"{'/'.join(path)}: value too long")
    return value


def attribute(element: Element | None, name: str) -> str:
    """An attribute by local name (`xsi:type`, `xsi1:type`, `type`), "" when absent."""
    if element is None:
        return ""
    for key, value in element.attrib.items():
        if local(key) == name:
            return value
    return ""

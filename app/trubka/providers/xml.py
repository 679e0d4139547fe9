"""Hardened, namespace-agnostic XML reading for the XML-speaking PBXs (Beeline, Mobilon).

`defusedxml` refuses DTDs, entities and external references; the relay has already
capped the body size (64 KiB). Elements are found by local name, whatever prefix or
namespace a PBX build happens to use.
"""

from __future__ import annotations

from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from trubka.core.errors import InvalidParameters

MAX_TEXT = 2048


def parse(body: bytes) -> Element:
    if not body.strip():
        raise InvalidParameters("empty body")
    try:
        return SafeET.fromstring(body, forbid_dtd=True)
    except (ParseError, DefusedXmlException, ValueError, UnicodeError, TypeError) as exc:
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

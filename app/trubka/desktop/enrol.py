"""Enrolment links, read strictly (SPEC §9.4).

Two forms carry the same thing, a relay and a one-time code:

* the web page link an administrator sends, `https://<relay>/enroll#<code>` (the code in
  the fragment, so it never reaches a server log), pasted by people who got it by chat;
* the app link on that page's "Open in Trubka" button,
  `trubka://enroll?relay=<url-encoded relay>&code=<code>`.

Anything else — another scheme, a user name or query in the relay address, plain http
off this computer, a code of other characters or length — is refused before anything
is sent anywhere. A link is as dangerous as the relay it names (it signs Trubka in
there), so the caller shows that host before replacing a different relay.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import SplitResult, parse_qs, urlsplit

from trubka.desktop.settings import address_problem

# What the relay hands out: URL-safe base64 (secrets.token_urlsafe), 16–128 characters.
CODE = re.compile(r"^[A-Za-z0-9_-]{16,128}$")
MAX_LINK = 2048


class BadLink(ValueError):
    """Not an enrolment link Trubka accepts; the message says why (English, for logs;
    the UI words it)."""


@dataclass(frozen=True, slots=True)
class EnrolLink:
    relay: str  # scheme://host[:port][/prefix], no trailing slash
    code: str

    @property
    def host(self) -> str:
        return urlsplit(self.relay).netloc

    def __repr__(self) -> str:  # the code is a secret until used
        return f"EnrolLink(relay={self.relay!r}, code=***)"


def is_enrol_link(text: str) -> bool:
    """Whether `text` looks like an enrolment link at all (then `parse_link` judges)."""
    lowered = text.strip().lower()
    return lowered.startswith("trubka:") or ("/enroll#" in lowered and
                                             lowered.startswith(("https:", "http:")))


def parse_link(text: str) -> EnrolLink:
    """The relay and code a link carries; raises BadLink for anything else."""
    text = text.strip()
    if not text or len(text) > MAX_LINK or any(ch.isspace() for ch in text):
        raise BadLink("not an enrolment link")
    try:
        parts = urlsplit(text)
    except ValueError as exc:
        raise BadLink("not an enrolment link") from exc
    scheme = parts.scheme.lower()
    if scheme == "trubka":
        relay, code = _app_link(parts.netloc, parts.path, parts.query, parts.fragment)
    elif scheme in ("https", "http"):
        relay, code = _page_link(parts)
    else:
        raise BadLink("not an enrolment link")
    problem = address_problem(relay)
    if problem:
        raise BadLink(f"the relay address in the link is refused: {problem}")
    if not CODE.match(code):
        raise BadLink("the code in the link is damaged")
    return EnrolLink(relay.rstrip("/"), code)


def _app_link(netloc: str, path: str, query: str, fragment: str) -> tuple[str, str]:
    if netloc.lower() != "enroll" or path not in ("", "/") or fragment:
        raise BadLink("not an enrolment link")
    try:
        fields = parse_qs(query, keep_blank_values=True, strict_parsing=True,
                          max_num_fields=4)
    except ValueError as exc:
        raise BadLink("not an enrolment link") from exc
    if set(fields) != {"relay", "code"} or any(len(v) != 1 for v in fields.values()):
        raise BadLink("the link must name exactly one relay and one code")
    return fields["relay"][0], fields["code"][0]


def _page_link(parts: SplitResult) -> tuple[str, str]:
    path = parts.path.rstrip("/")
    if parts.query or not path.endswith("/enroll"):
        raise BadLink("not an enrolment link")
    return f"{parts.scheme}://{parts.netloc}{path[: -len('/enroll')]}", parts.fragment


def same_relay(a: str, b: str) -> bool:
    """Whether two relay settings name the same relay (scheme, host and port of the first
    address each lists)."""
    first = [urlsplit(x.split()[0].rstrip("/,;")) for x in (a, b) if x.strip()]
    return len(first) == 2 and (first[0].scheme, first[0].netloc.lower()) == (
        first[1].scheme, first[1].netloc.lower())

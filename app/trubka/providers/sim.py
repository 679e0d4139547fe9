"""The simulator's vocabulary: abstract call steps, and the HTTP requests a PBX would send.

A scenario (relay/simulator.py) is a list of `Step`s; each provider's spec renders a step
as the request(s) its PBX posts (`ProviderSpec.simulate`), or none where the PBX has no
message for it. Plain data, so providers can render without knowing the relay.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime


@dataclass(frozen=True, slots=True)
class Step:
    """One thing the PBX reports. `kind`: ring | answer | end | lookup."""

    kind: str
    direction: str = "in"
    status: str = ""  # for end: success | missed
    duration: int = 0
    pause: float = 1.0  # seconds to wait before this step
    link: str = ""
    started: float = 0.0  # unix time the call started (for end)


@dataclass(frozen=True, slots=True)
class CallSpec:
    ext: str = "100"
    phone: str = "89991234567"
    line: str = "3333333"
    call_id: str = field(default_factory=lambda: str(int(time.time() * 1e9))
                         + str(secrets.randbelow(1000)))
    user: str = ""  # the PBX login, where it differs from the extension


@dataclass(frozen=True, slots=True)
class SimRequest:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


# A format renders a step as the requests one PBX sends for it (none, one or several),
# given the call, the provider's simulator token and the current unix time.
Format = Callable[[Step, CallSpec, str, float], list[SimRequest]]


def stamp(unix: float) -> str:
    """`20230908T015640` (UTC), the `cmd=history` time format."""
    return datetime.fromtimestamp(unix, UTC).strftime("%Y%m%dT%H%M%S")

"""The Prostye Zvonki test stand (SPEC §2.1), played against a relay over real HTTP.

A scenario is a list of abstract steps (ring, answer, end, lookup); each provider's spec
renders a step as the HTTP requests its PBX would send (`ProviderSpec.simulate`). The
stand's own query strings (`event=1&src_type=1&src_num=…`) are translated to the same
steps, so
`trubka-relay simulate 'event=1&src_type=1&src_num=89991234567&dst_num=100'` posts what
the real service would.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import parse_qsl

import httpx

from trubka.providers import SPECS
from trubka.providers.sim import CallSpec, SimRequest, Step

__all__ = ["SCENARIOS", "CallSpec", "Posted", "SimRequest", "StandQueryError", "Step", "play",
           "stand_query"]

RECORDING = "https://example.invalid/recording.mp3"

SCENARIOS: dict[str, list[Step]] = {
    "incoming-answered": [
        Step("ring", "in", pause=0),
        Step("answer", "in", pause=2),
        Step("end", "in", "success", duration=50, pause=3, link=RECORDING),
    ],
    "incoming-missed": [
        Step("ring", "in", pause=0),
        Step("end", "in", "missed", duration=20, pause=3),
    ],
    "outgoing-answered": [
        Step("ring", "out", pause=0),
        Step("answer", "out", pause=2),
        Step("end", "out", "success", duration=50, pause=3, link=RECORDING),
    ],
    "outgoing-missed": [
        Step("ring", "out", pause=0),
        Step("end", "out", "missed", duration=20, pause=3),
    ],
    "smart-transfer": [Step("lookup", pause=0)],
}


class StandQueryError(ValueError):
    """A test-stand query string that does not describe a call event."""


def stand_query(query: str) -> tuple[CallSpec, list[Step]]:
    """Translate the PZ test stand's query parameters into a call and its steps."""
    q = dict(parse_qsl(query.lstrip("?"), keep_blank_values=True))
    src, dst = q.get("src_num", ""), q.get("dst_num", "")
    line = q.get("line", "")
    call_id = q.get("call_id") or CallSpec().call_id
    if q.get("smart_transfer_is_required") == "1":
        if not src:
            raise StandQueryError("smart transfer needs src_num")
        return CallSpec(phone=src, call_id=call_id), [Step("lookup", pause=0)]
    event = q.get("event")
    outgoing = q.get("src_type") == "2" or event in ("18", "38")
    ext, phone = (src, dst) if outgoing else (dst, src)
    if not ext or not phone:
        raise StandQueryError("src_num and dst_num are required")
    spec = CallSpec(ext=ext, phone=phone, line=line, call_id=call_id)
    direction = "out" if outgoing else "in"
    if event in ("1", "18"):
        return spec, [Step("ring", direction, pause=0)]
    if event in ("3", "38"):
        return spec, [Step("answer", direction, pause=0)]
    if event == "2":
        now = time.time()
        end = _int(q.get("timestamp")) or now
        start = _int(q.get("call_start_timestamp")) or end
        answer = _int(q.get("call_answer_timestamp"))
        answered = q.get("status", "").upper() == "ANSWER"
        duration = int(end - (answer if answered and answer else start))
        return spec, [Step("end", direction, "success" if answered else "missed",
                           duration=max(0, duration), pause=0,
                           link=q.get("call_record_link", ""), started=start)]
    raise StandQueryError(f"unknown event {event!r} (1, 2, 3, 18, 38)")


def _int(text: str | None) -> float:
    try:
        return float(text) if text else 0.0
    except ValueError:
        return 0.0


@dataclass(frozen=True, slots=True)
class Posted:
    request: SimRequest
    status: int
    reply: str


async def play(
    relay_url: str, steps: list[Step], call: CallSpec, token: str,
    provider: str, pause_scale: float = 1.0,
    client: httpx.AsyncClient | None = None,
    on_post: Callable[[Posted], None] | None = None,
) -> list[Posted]:
    """Post each step to the relay, waiting the step's pause (times `pause_scale`)."""
    render = SPECS[provider].simulate
    own = client is None
    http = client or httpx.AsyncClient(timeout=10)
    results: list[Posted] = []
    try:
        for step in steps:
            if step.pause and pause_scale:
                await asyncio.sleep(step.pause * pause_scale)
            for request in render(step, call, token, time.time()):
                response = await http.request(
                    request.method, relay_url.rstrip("/") + request.path,
                    headers=request.headers, content=request.body)
                posted = Posted(request, response.status_code, response.text)
                results.append(posted)
                if on_post is not None:
                    on_post(posted)
    finally:
        if own:
            await http.aclose()
    return results



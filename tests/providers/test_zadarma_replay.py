"""Issue 10 item 9, the provider's half: Zadarma's signature covers three fields of an
event, so the provider refuses stale `call_start`s (in the account's time zone, or any
zone when it is not configured) and binds to the signature what it does not cover (the
relay remembers the bindings: tests/relay/test_zadarma_replay.py)."""

from __future__ import annotations

from datetime import datetime, timedelta
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import pytest

from trubka.core.errors import InvalidParameters
from trubka.providers.base import Webhook, WebhookRequest
from trubka.providers.localtime import fresh, instants, zone
from trubka.providers.zadarma import SIGNED_FIELDS, Zadarma, signature_forms

SECRET = "replay-secret"
MOSCOW = ZoneInfo("Europe/Moscow")
NOW = datetime(2026, 11, 30, 12, 0, 0, tzinfo=MOSCOW).timestamp()


def zadarma(zone_name: str = "Europe/Moscow", window: str = "900") -> Zadarma:
    return Zadarma({"api_secret": SECRET, "time_zone": zone_name, "replay_window": window},
                   None, clock=lambda: NOW)  # type: ignore[arg-type]  # parsing needs no HTTP


def local(seconds_ago: float, where: ZoneInfo = MOSCOW) -> str:
    return (datetime.fromtimestamp(NOW, where) - timedelta(seconds=seconds_ago)).strftime(
        "%Y-%m-%d %H:%M:%S")


def signed(fields: dict[str, str], raw_digest: bool = False) -> WebhookRequest:
    message = "".join(fields[n] for n in SIGNED_FIELDS[fields["event"]])
    signature = signature_forms(SECRET, message)[1 if raw_digest else 0].decode()
    return WebhookRequest("POST", "/hooks/zadarma", {}, {
        "content-type": "application/x-www-form-urlencoded", "signature": signature},
        urlencode(fields).encode())


def internal(**changes: str) -> dict[str, str]:
    return {"event": "NOTIFY_INTERNAL", "call_start": local(5), "pbx_call_id": "in_1",
            "caller_id": "79031112233", "called_did": "74951234567", "internal": "101",
            **changes}


def end(**changes: str) -> dict[str, str]:
    return {**internal(), "event": "NOTIFY_END", "disposition": "answered",
            "duration": "60", **changes}


def parse(fields: dict[str, str], z: Zadarma | None = None) -> Webhook:
    return (z or zadarma()).parse_webhook(signed(fields))


@pytest.mark.parametrize(("event", "age", "ok"), [
    ("NOTIFY_INTERNAL", 5, True), ("NOTIFY_INTERNAL", 899, True),
    ("NOTIFY_INTERNAL", 1300, False), ("NOTIFY_INTERNAL", -200, True),
    ("NOTIFY_INTERNAL", -400, False), ("NOTIFY_START", 3600, False),
    ("NOTIFY_ANSWER", 600, True), ("NOTIFY_ANSWER", 86400, False),
    ("NOTIFY_END", 11 * 3600, True), ("NOTIFY_END", 13 * 3600, False),
    ("NOTIFY_OUT_END", 12 * 3600 + 600, True), ("NOTIFY_OUT_START", 2000, False),
])
def test_stale_call_start_is_refused_in_the_accounts_zone(event: str, age: int,
                                                         ok: bool) -> None:
    """Ringing and answer events must come within the window (900 s) of call_start, the
    end events within 12 h more (a long conversation), none more than 5 min early."""
    fields = {**end(), "destination": "101", "event": event, "call_start": local(age)}
    if ok:
        parse(fields)
    else:
        with pytest.raises(InvalidParameters):
            parse(fields)


def test_without_a_zone_every_offset_is_allowed_and_no_more() -> None:
    """Unconfigured, call_start may be local time anywhere from UTC−12 to UTC+14: a live
    call is never refused for a zone guess; a day-old one still is."""
    z = zadarma(zone_name="")
    for where in ("Pacific/Kiritimati", "Etc/GMT+12", "Asia/Vladivostok", "UTC"):
        parse(internal(call_start=local(5, ZoneInfo(where))), z)
    with pytest.raises(InvalidParameters):
        parse(internal(call_start=local(27 * 3600 + 1000, ZoneInfo("UTC"))), z)
    assert zone("") is None and zone("Mars/Olympus") is None


def test_an_hour_that_repeats_when_clocks_go_back_is_read_both_ways() -> None:
    """02:30 on 25 Oct 2026 happens twice in Berlin: either instant is accepted."""
    berlin = ZoneInfo("Europe/Berlin")
    first, second = instants("2026-10-25 02:30:00", berlin) or (0.0, 0.0)
    assert second - first == 3600
    for now in (first + 60, second + 60):
        assert fresh("2026-10-25 02:30:00", berlin, now, 900)
    assert not fresh("2026-10-25 02:30:00", berlin, second + 2000, 900)
    assert not fresh("not a time", berlin, first, 900)


def test_an_exact_retry_binds_the_same_values() -> None:
    """A PBX retrying the same post produces the same bindings (it must pass)."""
    assert parse(end()).bindings == parse(end()).bindings
    assert len(parse(end()).bindings) == 2


def test_what_the_signature_leaves_out_is_bound() -> None:
    """Another call (pbx_call_id), another outcome (disposition, duration) or another
    extension answered: same keys, other values — the relay refuses the second."""
    keys, values = zip(*[(b.key, b.value) for b in parse(end()).bindings], strict=True)
    for changed, index in ((end(pbx_call_id="in_2"), 0), (end(disposition="busy"), 1),
                           (end(duration="1"), 1), (end(internal="102"), 1)):
        bound = parse(changed).bindings
        assert [b.key for b in bound] == list(keys)
        assert bound[index].value != values[index]


def test_a_call_ringing_several_extensions_binds_alike() -> None:
    """NOTIFY_INTERNAL for each extension a call rings carries the same signature: its
    `internal` is deliberately left free, so a group call is not refused."""
    assert parse(internal(internal="101")).bindings == parse(internal(internal="102")).bindings


def test_a_resplit_signed_string_verifies_but_binds_differently() -> None:
    """Moving a digit from caller_id to called_did keeps the concatenation — and so the
    signature — valid (the attack); the binding records the split, so it is refused."""
    original = parse(internal())
    moved = parse(internal(caller_id="7903111223", called_did="374951234567"))
    assert original.bindings[0].key == moved.bindings[0].key
    assert original.bindings[0].value != moved.bindings[0].value


def test_either_signature_form_binds_one_key() -> None:
    """base64 of the raw digest (TS SDK) and of its hex (PHP SDK) are one signature: a
    replay cannot escape its binding by re-encoding it."""
    hex_form = zadarma().parse_webhook(signed(internal()))
    raw_form = zadarma().parse_webhook(signed(internal(), raw_digest=True))
    assert hex_form.bindings == raw_form.bindings


def test_an_outgoing_calls_start_and_answer_share_their_signature() -> None:
    """NOTIFY_OUT_START (internal+destination+call_start) and NOTIFY_ANSWER of the same
    call (caller_id = the extension, destination, call_start) sign the same text: they
    bind alike, so the answer is not taken for a replay."""
    start = local(5)
    out = parse({"event": "NOTIFY_OUT_START", "call_start": start, "pbx_call_id": "out_1",
                 "internal": "101", "destination": "79031112233"})
    answer = parse({"event": "NOTIFY_ANSWER", "call_start": start, "pbx_call_id": "out_1",
                    "caller_id": "101", "destination": "79031112233", "internal": "101"})
    assert out.bindings[0] == answer.bindings[0]


def test_bindings_live_as_long_as_the_event_can_be_accepted() -> None:
    """A guard remembering a signature for its ttl covers its whole acceptance window."""
    z = zadarma()
    assert parse(internal(), z).bindings[0].ttl >= 900 + 300
    assert parse(end(), z).bindings[0].ttl >= 12 * 3600 + 900
    wide = zadarma(zone_name="")
    assert parse(internal(call_start=local(5, ZoneInfo("UTC"))), wide).bindings[0].ttl >= \
        900 + 26 * 3600

"""Issue 10 item 8: no value a sender controls can forge a line of the relay's log — every
record's control characters are escaped, whatever logger wrote it."""

from __future__ import annotations

import logging
import time
from pathlib import Path

import httpx
import pytest

from tests.conftest import WEBHOOK_TOKEN, CliRelay, run_cli
from trubka.relay import logfilter

FORGED = "2026-11-30 10:00:00,000 INFO trubka.relay: call forged answered"


@pytest.mark.parametrize(("raw", "escaped"), [
    ("a\nb", "a\\nb"), ("a\r\nb", "a\\r\\nb"), ("\x1b[2J", "\\x1b[2J"), ("\x00", "\\x00"),
    ("\x85", "\\x85"), ("a\u2028b\u2029", "a\\u2028b\\u2029"), ("\u202egnp.exe", "\\u202egnp.exe"),
    ("\ud800", "\\ud800"), ("tab\there", "tab\\there"), ("Иванов ok", "Иванов ok"),
])
def test_each_class_of_control_character_is_escaped(raw: str, escaped: str) -> None:
    """Line breaks (C0, NEL, U+2028/9), terminal escapes, bidi overrides and lone
    surrogates become visible escapes; ordinary text, Cyrillic included, is untouched."""
    assert logfilter.escape_controls(raw) == escaped


def test_every_logger_gets_escaped_records(caplog: pytest.LogCaptureFixture) -> None:
    """Installed once (server and CLI do), the factory escapes records of any logger — a
    library's as well as the relay's — and leaves records without control characters as
    they are, arguments and all."""
    logfilter.install()
    with caplog.at_level(logging.INFO):
        logging.getLogger("some.library").info("bad %s", "x\n" + FORGED)
        logging.getLogger("trubka.anything").warning("plain %d%%", 5)
    first, second = caplog.records
    assert "\n" not in first.getMessage() and "\\n" + FORGED in first.getMessage()
    assert second.getMessage() == "plain 5%" and second.args == (5,)


def test_a_forged_line_in_a_webhook_stays_inside_its_record(tmp_path: Path) -> None:
    """A webhook whose call id carries a newline and a fake log line, posted to
    `trubka-relay serve`: the relay's log shows it escaped on the one line it belongs
    to, and no line of the log begins with the forgery."""
    relay = CliRelay(tmp_path / "relay")
    run_cli(relay.data_dir, "provider", "set", "prostiezvonki", "--webhook-token",
            WEBHOOK_TOKEN)
    relay.start()
    try:
        body = {"cmd": "event", "type": "INCOMING", "user": "nobody", "phone": "8999",
                "callid": "c1\n" + FORGED + "\r\x1b[1A", "crm_token": WEBHOOK_TOKEN}
        assert httpx.post(relay.url + "/hooks/prostiezvonki", json=body).status_code == 200
        deadline = time.monotonic() + 10
        while not any("no relay user" in line for line in relay.log):
            assert time.monotonic() < deadline, relay.log
            time.sleep(0.05)
    finally:
        relay.stop()
    lines = "".join(relay.log).splitlines()
    assert not any(line.startswith(FORGED) for line in lines)
    (warning,) = [line for line in lines if "no relay user" in line]
    assert "c1\\n" + FORGED + "\\r\\x1b[1A" in warning

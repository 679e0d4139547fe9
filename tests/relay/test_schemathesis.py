"""Issue 10, "keep it found": schemathesis, a third-party fuzzer, against the relay's own
`/openapi.json` on loopback, with a valid token and a fake PBX behind click-to-call (so
a 502 is a real PBX refusal, never a crash). A small example budget keeps it to seconds
in CI; `bench/fuzz.py --schemathesis N` runs the same with a larger one.

Checks: all of schemathesis' checks except `positive_data_acceptance`, which assumes a
schema-valid request must succeed — the relay validates more than a JSON schema can say
(a phone must be a phone number, an e-mail an address, a CRM link http(s)/e1c) and
answers those with the declared 422. Webhooks (`/hooks/...`) are left to the
per-provider fuzzers (tests/relay/test_fuzz.py): their replies are each PBX's own
format, and their credentials live in the body. Throttling is off for the run: the
`ignored_auth` check sends wrong credentials on purpose, which would otherwise have the
address throttled (429) for the rest of the run.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import Relay
from tests.fakes.pbx import FakePbx


def run_schemathesis(relay: Relay, token: str, examples: int, report: Path) -> \
        subprocess.CompletedProcess[str]:
    tool = Path(sys.executable).with_name("schemathesis")
    return subprocess.run(
        [str(tool), "run", relay.url + "/openapi.json", "--no-color", "--workers", "1",
         "--header", f"Authorization: Bearer {token}", "--exclude-path-regex", "^/hooks/",
         "--checks", "all", "--exclude-checks", "positive_data_acceptance",
         "--max-examples", str(examples), "--seed", "10", "--generation-database", "none",
         "--report", "junit", "--report-junit-path", str(report)],
        capture_output=True, text=True, timeout=600, check=False, cwd=report.parent)


def prepare(relay: Relay, fake_pbx: FakePbx) -> str:
    fake_pbx.reply("/sys/crm_api.wcgp", 200, {"state": "true", "callid": "c-1"})
    relay.cli("provider", "set", "crm-api", "--webhook-token", "t", "--api-token", "k",
              "--api-url", fake_pbx.url + "/sys/crm_api.wcgp")
    relay.cli("settings", "set", "auth-failure-limit", "0")
    return relay.add_user("Иванов", "100")


def test_schemathesis_finds_nothing(relay: Relay, fake_pbx: FakePbx, tmp_path: Path) -> None:
    """Every generated request (examples, coverage, fuzzing and stateful phases) gets a
    reply the document declares, in the declared shape, and never a 5xx."""
    token = prepare(relay, fake_pbx)
    result = run_schemathesis(relay, token, 8, tmp_path / "junit.xml")
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    assert "failures" not in result.stdout.splitlines()[-1], result.stdout[-3000:]

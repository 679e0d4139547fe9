"""Each provider spec's simulator format against a real relay configured with the spec's
demo set-up, the token read back with `sim_token` (what `trubka demo` and
`trubka-relay simulate` do)."""

from __future__ import annotations

import pytest

from tests.conftest import Relay, ws_client
from tests.fakes.pbx import FakePbx
from trubka.providers import SPECS
from trubka.relay import simulator
from trubka.relay.store import settings
from trubka.relay.store.db import Store, database_url

# Frames ext 100 gets per scenario (each scenario's call from its own number). Mobilon
# only reports the incoming ring.
FRAMES = {
    "zadarma": {"incoming-answered": 4, "incoming-missed": 3, "outgoing-answered": 4,
                "outgoing-missed": 3},
    "beeline": {"incoming-answered": 4, "incoming-missed": 3, "outgoing-answered": 4,
                "outgoing-missed": 3},
    "mobilon": {"incoming-answered": 1, "incoming-missed": 1, "outgoing-answered": 0,
                "outgoing-missed": 0},
}


async def stored_config(relay: Relay, name: str) -> dict[str, str]:
    store = await Store.open(database_url(relay.data_dir, relay.database_url))
    try:
        async with store.read() as conn:
            return dict(await settings.provider_configs(conn))[name]
    finally:
        await store.close()


@pytest.mark.parametrize("provider", ["zadarma", "beeline", "mobilon"])
async def test_every_scenario_is_accepted_in_each_format(
        relay: Relay, fake_pbx: FakePbx, provider: str) -> None:
    """All five scenarios post only requests the relay accepts (2xx), each call reaches
    ext 100's socket, and the secret `sim_token` reads is the one the demo set-up chose."""
    setup = SPECS[provider].demo(fake_pbx.url, relay.url)
    token = setup.sim_token
    relay.cli("provider", "set", provider, *setup.flags())
    assert SPECS[provider].sim_token(await stored_config(relay, provider)) == token
    desk_token = relay.add_user("Демо", "100")
    async with ws_client(relay, desk_token) as desk:
        await desk.frame()
        for index, (scenario, steps) in enumerate(simulator.SCENARIOS.items()):
            # Played back to back, the calls start within one second: each from its own
            # number, as two real calls that second would have to be to be told apart
            # (Zadarma signs numbers and start only: docs/providers/zadarma.md).
            call = simulator.CallSpec(phone=f"8999123450{index}")
            posted = await simulator.play(relay.url, steps, call, token, provider,
                                          pause_scale=0)
            assert all(200 <= p.status < 300 for p in posted), [
                (p.request.path, p.status, p.reply) for p in posted]
            count = FRAMES[provider].get(scenario, 0)
            if count:
                frames = await desk.frames(count)
                assert {f["call"]["ext"] for f in frames if f["type"] == "call"} == {"100"}
        await desk.nothing()

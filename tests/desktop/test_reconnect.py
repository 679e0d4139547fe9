"""Resilience (F7): the link is cut, calls happen meanwhile, the client comes back by
itself — ringing calls get windows, ended ones go to the journal, nothing pops twice."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.desktop.conftest import Desktop, Pbx
from tests.desktop.proxy import FlakyProxy
from trubka.desktop.bridge import LinkState
from trubka.relay.config import RelayConfig
from trubka.relay.server import RelayServer


def shown(app: Any) -> list[str]:
    return [cid for cid, event, _s in app.calls.shown_log if event == "shown"]


def play_offline_calls(pbx: Pbx, ringing_before: str, ending_before: str) -> str:
    """What happens while the client is away; returns the id of the call still ringing."""
    pbx.end(ending_before, status="missed")  # a window was open: the call ended meanwhile
    pbx.scenario("incoming-missed", phone="84950000001")
    pbx.scenario("incoming-answered", phone="84950000002")
    pbx.scenario("outgoing-answered", phone="84950000003")
    still = pbx.call_id()
    pbx.ring(still, phone="84950000004")
    pbx.answer(ringing_before)  # the call whose window is open goes on
    return still


def check_after_resume(app: Any, qtbot: Any, pbx: Pbx, still: str, ringing_before: str,
                       windows_before: dict[str, str]) -> None:
    qtbot.waitUntil(lambda: app.session.status.state is LinkState.CONNECTED, timeout=15_000)
    # the call still ringing gets its window; the others do not pop
    qtbot.waitUntil(lambda: any(w.call.phone == "+74950000004" for w in app.calls.windows.values()),
                    timeout=10_000)
    qtbot.waitUntil(lambda: app.presence.missed == 2, timeout=10_000)
    qtbot.waitUntil(lambda: {"+74950000001", "+74950000002", "+74950000003"} <= {
        e.phone for e in app.journal.rows}, timeout=10_000)
    assert app.menu.journal_action.text() == "Call journal (2 missed)"
    # the window open before the cut now shows "talking", and was never shown twice
    live = windows_before[ringing_before]
    qtbot.waitUntil(lambda: live in app.calls.windows and "Talking" in
                    app.calls.windows[live].state_label.text(), timeout=10_000)
    assert sorted(shown(app)) == sorted(set(shown(app)))
    assert len(shown(app)) == 3  # two before the cut, one still ringing after it
    for number in ("+74950000001", "+74950000002", "+74950000003"):
        assert all(w.call.phone != number for w in app.calls.windows.values())


@pytest.fixture
def proxy(pz_relay: Any) -> Iterator[FlakyProxy]:
    p = FlakyProxy(pz_relay.server.port)
    yield p
    p.close()


def open_two_windows(app: Any, pbx: Pbx, qtbot: Any) -> tuple[str, str, dict[str, str]]:
    first, second = pbx.call_id(), pbx.call_id()
    pbx.ring(first, phone="84951111111")
    pbx.ring(second, phone="84952222222")
    qtbot.waitUntil(lambda: len(app.calls.windows) == 2, timeout=5000)
    by_pbx = {first: next(w.call.id for w in app.calls.windows.values()
                          if w.call.phone == "+74951111111"),
              second: next(w.call.id for w in app.calls.windows.values()
                           if w.call.phone == "+74952222222")}
    return first, second, by_pbx


def test_socket_dropped(desktop: Desktop, pz_relay: Any, pbx: Pbx, proxy: FlakyProxy,
                        qtbot: Any) -> None:
    """The client's connection drops; calls meanwhile are caught up without stale popups."""
    token = pz_relay.add_user("Сотрудник", "100")
    app = desktop.start(desktop.make(proxy.url, token))
    first, second, windows = open_two_windows(app, pbx, qtbot)
    proxy.cut()
    qtbot.waitUntil(lambda: app.session.status.state is LinkState.RECONNECTING, timeout=10_000)
    still = play_offline_calls(pbx, first, second)
    proxy.restore()
    check_after_resume(app, qtbot, pbx, still, first, windows)
    # the window of the call that ended offline shows it ended and closes by itself
    qtbot.waitUntil(lambda: windows[second] not in app.calls.windows, timeout=10_000)


def test_relay_restarted(desktop: Desktop, pz_relay: Any, pbx: Pbx, qtbot: Any) -> None:
    """The relay goes down and comes back on the same port and data; calls reached it first."""
    token = pz_relay.add_user("Сотрудник", "100")
    app = desktop.start(desktop.make(pz_relay.url, token))
    first, second, windows = open_two_windows(app, pbx, qtbot)
    port = pz_relay.server.port
    pz_relay.server.stop()
    qtbot.waitUntil(lambda: app.session.status.state is LinkState.RECONNECTING, timeout=15_000)
    # The calls reach the relay (its data dir) through another instance while the
    # client's address is still down.
    other = RelayServer(RelayConfig(data_dir=pz_relay.data_dir,
                                    maintenance_interval=3600)).start()
    try:
        still = play_offline_calls(Pbx(other.url, counter=pbx.counter), first, second)
    finally:
        other.stop()
    assert app.session.status.state is not LinkState.CONNECTED
    back = RelayServer(RelayConfig(data_dir=pz_relay.data_dir, maintenance_interval=3600),
                       port=port).start()
    try:
        check_after_resume(app, qtbot, pbx, still, first, windows)
    finally:
        app.bridge.stop_socket()
        back.stop()


def test_unauthorized_signs_out_without_retry_storm(desktop: Desktop, pz_relay: Any,
                                                    qtbot: Any) -> None:
    """A 401 shows "signed out" and stops: no reconnect attempts pile up."""
    pz_relay.add_user("Сотрудник", "100")
    app = desktop.make(pz_relay.url, "trk_not-a-valid-token-at-all")
    app.start()
    qtbot.waitUntil(lambda: app.session.status.state is LinkState.SIGNED_OUT, timeout=10_000)
    qtbot.wait(1500)  # with the instant test policy a retry loop would make dozens
    assert app.bridge.attempts == 1
    assert app.menu.status_action.text().startswith("Signed out")
    assert any("Signed out" in text or "token" in text for _k, text in app.notifier.history)


def test_revoked_while_connected(desktop: Desktop, pz_relay: Any, proxy: FlakyProxy,
                                 qtbot: Any) -> None:
    """A token revoked while connected ends in "signed out" at the next reconnect."""
    token = pz_relay.add_user("Сотрудник", "100")
    app = desktop.start(desktop.make(proxy.url, token))
    pz_relay.cli("users", "revoke", "--ext", "100")
    proxy.cut()
    proxy.restore()
    qtbot.waitUntil(lambda: app.session.status.state is LinkState.SIGNED_OUT, timeout=10_000)
    attempts = app.bridge.attempts
    qtbot.wait(1000)
    assert app.bridge.attempts == attempts


def test_network_back_reconnects_at_once(desktop: Desktop, pz_relay: Any, proxy: FlakyProxy,
                                         qtbot: Any) -> None:
    """With a long backoff pending, "network online" reconnects immediately."""
    from dataclasses import replace

    from PySide6.QtNetwork import QNetworkInformation

    from tests.desktop.conftest import FAST

    token = pz_relay.add_user("Сотрудник", "100")
    app = desktop.make(proxy.url, token)
    app.bridge.policy = replace(FAST, first=60.0, minimum=60.0)  # would wait a minute
    desktop.start(app)
    proxy.cut()
    qtbot.waitUntil(lambda: app.session.status.state is LinkState.RECONNECTING, timeout=10_000)
    proxy.restore()
    app.network.reachability_changed(QNetworkInformation.Reachability.Online)
    qtbot.waitUntil(lambda: app.session.status.state is LinkState.CONNECTED, timeout=5000)


def test_silent_link_noticed_by_ping(desktop: Desktop, pz_relay: Any, proxy: FlakyProxy,
                                     qtbot: Any) -> None:
    """A link that silently stops carrying data (sleep, NAT) is noticed by the ping
    watchdog and shown as reconnecting, then recovers by itself."""
    token = pz_relay.add_user("Сотрудник", "100")
    app = desktop.start(desktop.make(proxy.url, token))
    proxy.frozen.set()
    qtbot.waitUntil(lambda: app.session.status.state is LinkState.RECONNECTING, timeout=8000)
    assert app.menu.status_action.text().startswith("No connection to the server")
    proxy.frozen.clear()
    proxy.cut()
    proxy.restore()
    qtbot.waitUntil(lambda: app.session.status.state is LinkState.CONNECTED, timeout=10_000)


def test_restart_resumes_from_saved_seq(desktop: Desktop, pz_relay: Any, pbx: Pbx,
                                        qtbot: Any) -> None:
    """Calls while the app was closed: the next start counts the missed ones and pops a
    window only for the call still ringing."""
    token = pz_relay.add_user("Сотрудник", "100")
    first = desktop.start(desktop.make(pz_relay.url, token))
    pbx.scenario("incoming-answered", phone="84950000009")
    qtbot.waitUntil(lambda: len(first.journal.rows) == 1, timeout=5000)
    first.quit()
    pbx.scenario("incoming-missed", phone="84950000001")
    still = pbx.call_id()
    pbx.ring(still, phone="84950000004")
    second = desktop.start(desktop.make(pz_relay.url, token))
    qtbot.waitUntil(lambda: second.presence.missed == 1, timeout=5000)
    qtbot.waitUntil(lambda: len(second.calls.windows) == 1, timeout=5000)
    assert next(iter(second.calls.windows.values())).call.phone == "+74950000004"
    assert len(shown(second)) == 1

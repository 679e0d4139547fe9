"""`trubka`: the tray app, `trubka dial N`, `trubka tel:...`, `trubka enroll LINK`,
`trubka demo`, `trubka integrate` (SPEC §9.1)."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from trubka import __version__

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

    from trubka.desktop.single import InstanceServer

COMMANDS = ("dial", "enroll", "demo", "integrate")
URL_SCHEMES = ("tel:", "callto:", "sip:", "sips:", "trubka:")
_VALUE_OPTIONS = ("--relay", "--token", "--profile")

log = logging.getLogger("trubka.desktop.cli")


def _common(parser: argparse.ArgumentParser, suppress: bool = False) -> None:
    """The global options, accepted before or after a command."""
    def default(value: object) -> object:
        return argparse.SUPPRESS if suppress else value

    parser.add_argument("--relay", default=default(""),
                        help="relay address (overrides settings)")
    parser.add_argument("--token", default=default(""),
                        help="sign-in token for this run only (env TRUBKA_TOKEN)")
    parser.add_argument("--profile", default=default(""),
                        help="settings directory; one running instance per profile")
    parser.add_argument("-v", "--verbose", action="store_true", default=default(False),
                        help="log to stderr too")


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="trubka", description="Trubka: call popups and "
                                "click-to-call. Without a command, runs the tray app; "
                                "`trubka tel:+7...` hands a link to it.")
    p.add_argument("--version", action="version", version=f"trubka {__version__}")
    _common(p)
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    dial = sub.add_parser("dial", help="call a number now (through the running instance)")
    _common(dial, suppress=True)
    dial.add_argument("number")
    enroll = sub.add_parser("enroll", help="connect with the enrolment link your "
                            "administrator sent (https://…/enroll#… or trubka://enroll?…)")
    _common(enroll, suppress=True)
    enroll.add_argument("link", nargs="?", default="",
                        help="https://<relay>/enroll#<code> or trubka://enroll?relay=…&code=…")
    demo = sub.add_parser("demo", help="embedded relay + simulated calls + the tray app")
    _common(demo, suppress=True)
    demo.add_argument("--provider", default="",
                      help="which PBX to simulate (a `trubka-relay provider set` name; "
                      "default: the first one)")
    demo.add_argument("--scenario", default="", help="play only this scenario "
                      "(incoming-answered, incoming-missed, outgoing-answered, "
                      "outgoing-missed, smart-transfer)")
    demo.add_argument("--exit-when-done", action="store_true",
                      help="quit once the scenarios have played and their windows closed")
    demo.add_argument("--pause-scale", type=float,
                      default=float(os.environ.get("TRUBKA_DEMO_PAUSE_SCALE") or 1.0),
                      help="multiply the scenarios' pauses (env TRUBKA_DEMO_PAUSE_SCALE)")
    integrate = sub.add_parser("integrate", help="register for tel:, callto:, sip: links")
    group = integrate.add_mutually_exclusive_group(required=True)
    group.add_argument("--install", action="store_true")
    group.add_argument("--uninstall", action="store_true")
    return p


def split_url(argv: list[str]) -> tuple[list[str], str]:
    """Pull a tel:/callto:/sip: URL out of argv (URL handlers pass it as a bare argument)."""
    rest, url, skip = [], "", False
    for arg in argv:
        if skip:
            rest.append(arg)
            skip = False
        elif arg in _VALUE_OPTIONS:
            rest.append(arg)
            skip = True
        elif not url and arg.lower().startswith(URL_SCHEMES):
            url = arg
        else:
            rest.append(arg)
    return rest, url


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    rest, url = split_url(args_list)
    args = build_parser().parse_args(rest)
    if args.command == "integrate":
        from trubka.desktop import integrate

        print(integrate.main(install=args.install))
        return 0
    if args.command == "demo":
        problem = _demo_problem(args.provider, args.scenario)
        if problem:
            print(f"trubka demo: {problem}", file=sys.stderr)
            return 2
    from trubka.desktop.logs import setup_logging

    request = request_for(args, url)
    if args.command == "enroll" and request is None:
        print("trubka enroll: give the enrolment link your administrator sent",
              file=sys.stderr)
        return 2
    setup_logging(args.verbose)
    if args.command == "demo":
        return run_demo(args)
    return run_app(args, request)


def request_for(args: argparse.Namespace, url: str) -> dict[str, str] | None:
    """What this launch asks of the running instance (or of itself)."""
    if args.command == "enroll":
        link = args.link or url  # a trubka: link was taken out of argv by split_url
        return {"cmd": "enroll", "arg": link} if link else None
    if url:
        return {"cmd": "url", "arg": url}
    if args.command == "dial":
        return {"cmd": "dial", "arg": args.number}
    return None


def _demo_problem(provider: str, scenario: str) -> str:
    """Why `trubka demo --provider P --scenario S` cannot run, or ""."""
    from trubka.desktop.demo import ORDER

    try:  # the demo embeds a relay: not in a desktop-only install nor the packaged app
        import trubka.relay.server  # noqa: F401
        from trubka.providers import SPECS
    except ModuleNotFoundError as exc:
        return (f"needs the relay's packages ({exc.name} is missing): run it from a source "
                "checkout (`uv run --all-extras trubka demo`) or pip install "
                "'trubka[relay,desktop]'")
    if provider and provider not in SPECS:
        return f"unknown provider {provider!r}; one of {', '.join(SPECS)}"
    if scenario and scenario not in ORDER:
        return f"unknown scenario {scenario!r}; one of {', '.join(ORDER)}"
    return ""


def _qapp() -> QApplication:
    from PySide6.QtWidgets import QApplication

    from trubka.desktop import gcpin, qtcompat

    if sys.platform == "win32":  # pragma: no cover - toasts need an AppUserModelID
        import ctypes

        from trubka.desktop.platform import AUMID

        ctypes.windll.shell32.SetCurrentProcessExplicitAppUserModelID(AUMID)
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    qtcompat.install()
    gcpin.pin(app)
    app.setDesktopFileName("trubka")  # Wayland/portal notifications name the app by it
    app.setQuitOnLastWindowClosed(False)
    app.setApplicationName("Trubka")
    app.setOrganizationName("Trubka")
    return app


def install_translator(app: QApplication, language: str) -> object | None:
    from PySide6.QtCore import QTranslator

    from trubka.desktop.resources import translation_file

    try:
        path = translation_file(language)
    except Exception as exc:  # a missing lrelease must not stop the app
        log.warning("translations unavailable: %s", exc)
        return None
    if path is None:
        return None
    translator = QTranslator(app)
    if translator.load(str(path)):
        app.installTranslator(translator)
        return translator
    return None


def _profile(args: argparse.Namespace) -> Path:
    from trubka.desktop.settings import default_profile

    return Path(args.profile) if args.profile else default_profile()


def _listen(profile: Path) -> InstanceServer:
    """Become the instance for `profile`: the server whose `request` signal the caller
    connects. When the name cannot be had, the app runs anyway, unlistened."""
    from trubka.desktop import single

    server = single.InstanceServer(single.server_name(profile))
    if not server.listen():
        log.warning("could not become the single instance (%s); running anyway",
                    server.name)
    return server


def _become_instance(profile: Path, request: dict[str, str] | None) -> InstanceServer | None:
    """Hand `request` to the instance running for `profile` (None: it took it), or
    become that instance."""
    from trubka.desktop import single

    if single.send(single.server_name(profile), request or {"cmd": "show"}, 1500):
        log.info("handed %s to the running instance", (request or {}).get("cmd", "show"))
        return None
    return _listen(profile)


def run_app(args: argparse.Namespace, request: dict[str, str] | None) -> int:
    from trubka.desktop.app import AppOptions, Services, TrubkaApp, effective_language
    from trubka.desktop.integrate import set_autostart
    from trubka.desktop.settings import PreferenceStore, TokenStore

    app = _qapp()
    profile = _profile(args)
    server = _become_instance(profile, request)
    if server is None:
        return 0
    store = PreferenceStore(profile)
    install_translator(app, effective_language(store.load().language))
    services = Services(profile=profile, store=store, tokens=TokenStore(profile),
                        autostart=set_autostart)
    options = AppOptions(relay_override=args.relay,
                         token_override=args.token or os.environ.get("TRUBKA_TOKEN", ""))
    trubka = TrubkaApp(app, services, options)
    server.request.connect(trubka.shell.handle_request)
    trubka.start()
    if request:
        trubka.shell.handle_request(request)
    code = app.exec()
    server.close()
    return int(code)


def run_demo(args: argparse.Namespace) -> int:
    from PySide6.QtCore import QTimer

    from trubka.desktop.app import AppOptions, Services, TrubkaApp, effective_language
    from trubka.desktop.demo import ORDER, Demo, demo_preferences
    from trubka.desktop.settings import PreferenceStore, TokenStore

    app = _qapp()
    # The demo is the instance for the user's profile while it runs: a tel: link clicked
    # meanwhile reaches it instead of starting a second, unconfigured app.
    server = _listen(_profile(args))
    demo = Demo(args.provider, args.pause_scale).start()
    store = PreferenceStore(demo.profile)
    store.save(demo_preferences(demo.url, args.pause_scale, store.load().language))
    install_translator(app, effective_language(store.load().language))
    services = Services(profile=demo.profile, store=store,
                        tokens=TokenStore(demo.profile, use_keyring=False))
    options = AppOptions(token_override=demo.token, scenarios=list(ORDER),
                         simulate=demo.play, on_quit=demo.stop)
    trubka = TrubkaApp(app, services, options)
    server.request.connect(trubka.shell.handle_request)
    driver = demo.driver(trubka, [args.scenario] if args.scenario else list(ORDER),
                         args.exit_when_done)
    trubka.start()
    QTimer.singleShot(0, driver.begin)
    try:
        return int(app.exec())
    finally:
        server.close()
        trubka.quit()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

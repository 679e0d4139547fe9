"""`trubka-relay`: run the relay and administer it (SPEC §9.1).

Every command works on the same store the server uses (SQLite in the data dir by
default, PostgreSQL with --database-url), so it can run beside a live relay.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import secrets
import sys
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import Any

from trubka.core.errors import TrubkaError
from trubka.providers import SPECS
from trubka.relay import addressbook, simulator
from trubka.relay.config import RelayConfig
from trubka.relay.store import contacts, settings, users
from trubka.relay.store import status as provider_status
from trubka.relay.store.db import Store, database_url

Handler = Callable[[argparse.Namespace, RelayConfig], Awaitable[int]]


class CliError(Exception):
    """A refusal to print as `trubka-relay: error: …` with exit code 2."""


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="trubka-relay",
                                description="Trubka relay: PBX webhooks in, call events out.")
    p.add_argument("--data-dir", help="where the SQLite database lives "
                   "(env TRUBKA_RELAY_DATA_DIR; default: the platform's user data dir)")
    p.add_argument("--database-url", help="PostgreSQL instead of SQLite, e.g. "
                   "postgresql://user@host/db (env TRUBKA_RELAY_DATABASE_URL)")
    p.add_argument("--redis-url", help="Redis for fan-out across replicas "
                   "(env TRUBKA_RELAY_REDIS_URL)")
    p.add_argument("-v", "--verbose", action="store_true", help="log debug detail")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    serve = sub.add_parser("serve", help="run the relay server")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on")
    serve.add_argument("--port", type=int, default=8765, help="port to listen on")
    serve.set_defaults(handler=None)

    provider = sub.add_parser("provider", help="configure a PBX").add_subparsers(
        dest="action", required=True, metavar="ACTION")
    pset = provider.add_parser("set", help="set a provider's options: provider set NAME "
                               "[--webhook-token T] [--api-key K] [--api-url URL] ...")
    pset.add_argument("name", choices=sorted(SPECS), help="the PBX")
    pset.add_argument("options", nargs=argparse.REMAINDER,
                      help="provider options (see `provider options NAME`)")
    pset.set_defaults(handler=cmd_provider_set)
    pshow = provider.add_parser("show", help="show configured providers (secrets masked)")
    pshow.set_defaults(handler=cmd_provider_show)
    popts = provider.add_parser("options", help="list a provider's options")
    popts.add_argument("name", choices=sorted(SPECS))
    popts.set_defaults(handler=cmd_provider_options)

    sset = sub.add_parser("settings", help="relay settings").add_subparsers(
        dest="action", required=True, metavar="ACTION")
    s1 = sset.add_parser("set", help="settings set KEY VALUE (last-digits, smart-transfer, "
                         "default-country, retention-days, ...)")
    s1.add_argument("key", choices=sorted(settings.SETTINGS))
    s1.add_argument("value")
    s1.set_defaults(handler=cmd_settings_set)
    sset.add_parser("show", help="show every setting").set_defaults(handler=cmd_settings_show)

    u = sub.add_parser("users", help="employees and their desktop tokens").add_subparsers(
        dest="action", required=True, metavar="ACTION")
    uadd = u.add_parser("add", help="add an employee; prints the token as the last line")
    uadd.add_argument("--name", required=True)
    uadd.add_argument("--ext", required=True, help="the employee's extension")
    uadd.add_argument("--pbx-user", default="", help="login/key at the PBX, where it differs")
    uadd.set_defaults(handler=cmd_users_add)
    u.add_parser("list", help="list employees").set_defaults(handler=cmd_users_list)
    urev = u.add_parser("revoke", help="revoke an employee's tokens")
    urev.add_argument("--ext", required=True)
    urev.set_defaults(handler=cmd_users_revoke)
    utok = u.add_parser("token", help="issue a new token for an employee (printed last)")
    utok.add_argument("--ext", required=True)
    utok.set_defaults(handler=cmd_users_token)
    usync = u.add_parser("sync", help="map PBX logins to employees by extension "
                         "(crm-api `accounts`)")
    usync.add_argument("--provider", default="crm-api", choices=sorted(SPECS))
    usync.set_defaults(handler=cmd_users_sync)

    c = sub.add_parser("contacts", help="the shared address book").add_subparsers(
        dest="action", required=True, metavar="ACTION")
    cimp = c.add_parser("import", help="import a .csv or .vcf file (all or nothing)")
    cimp.add_argument("file", type=Path)
    cimp.set_defaults(handler=cmd_contacts_import)
    cexp = c.add_parser("export", help="export to a .csv or .vcf file")
    cexp.add_argument("file", type=Path)
    cexp.set_defaults(handler=cmd_contacts_export)

    maint = sub.add_parser("maintain", help="trim the event log and the journal to their "
                           "retention now (the server also does it every minute)")
    maint.set_defaults(handler=cmd_maintain)

    sim = sub.add_parser("simulate", help="play the Prostye Zvonki test stand against a relay")
    sim.add_argument("scenario", help=f"one of {', '.join(simulator.SCENARIOS)}, or a "
                     "test-stand query string such as 'event=1&src_type=1&src_num=...'")
    sim.add_argument("--relay", default="http://127.0.0.1:8765", help="the relay's URL")
    sim.add_argument("--provider", default=next(iter(SPECS)), choices=sorted(SPECS))
    sim.add_argument("--token", help="the webhook token (default: read from the store)")
    sim.add_argument("--ext", default="100")
    sim.add_argument("--phone", default="89991234567")
    sim.add_argument("--line", default="3333333")
    sim.add_argument("--pause", type=float, default=1.0,
                     help="scale of the pauses between posts (0: none)")
    sim.set_defaults(handler=cmd_simulate)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
                        stream=sys.stderr)
    # httpx logs every request URL at INFO; some PBX APIs put keys in the query string.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    if args.command != "serve":  # administrative commands: their own output only
        logging.getLogger("alembic").setLevel(logging.WARNING)
    config = RelayConfig.from_env(data_dir=args.data_dir, database_url=args.database_url,
                                  redis_url=args.redis_url)
    try:
        if args.command == "serve":
            return _serve(args, config)
        return asyncio.run(args.handler(args, config))
    except CliError as exc:
        parser.exit(2, f"trubka-relay: error: {exc}\n")
    except TrubkaError as exc:  # a PBX that refused or could not be reached, say
        parser.exit(2, f"trubka-relay: error: {exc.message}\n")
    except KeyboardInterrupt:
        return 130


def _serve(args: argparse.Namespace, config: RelayConfig) -> int:
    from trubka.relay.server import serve

    config = RelayConfig.from_env(**{**config.__dict__, "host": args.host, "port": args.port})
    serve(config, "debug" if args.verbose else "info")
    return 0


async def _with_store(config: RelayConfig, work: Callable[[Store], Awaitable[int]]) -> int:
    store = await Store.open(database_url(config.data_dir, config.database_url))
    try:
        return await work(store)
    finally:
        await store.close()


def _mask(value: str) -> str:
    return "***" + value[-4:] if len(value) > 8 else "***"


async def cmd_provider_set(args: argparse.Namespace, config: RelayConfig) -> int:
    spec = SPECS[args.name]
    cls = spec.cls
    sub = argparse.ArgumentParser(prog=f"trubka-relay provider set {args.name}")
    for opt in cls.options:
        sub.add_argument(opt.flag, dest=opt.name, help=opt.help + (
            f" (env {spec.env_name(opt)})" if opt.secret else ""))
    if any(opt.generate for opt in cls.options):
        sub.add_argument("--rotate", action="store_true",
                         help="generate new values for the generated secrets (the webhook "
                         "token); the PBX must then be given the new one")
    given = vars(sub.parse_args(args.options))
    rotate = bool(given.pop("rotate", False))

    async def work(store: Store) -> int:
        async with store.write() as conn:
            current = dict(await settings.provider_configs(conn)).get(args.name, {})
            generated: list[str] = []
            for opt in cls.options:
                value = given.get(opt.name) or (spec.env_value(opt) if opt.secret else None)
                if value:
                    current[opt.name] = value
                elif opt.generate and (rotate or not current.get(opt.name)):
                    current[opt.name] = secrets.token_urlsafe(24)
                    generated.append(opt.name)
                elif opt.default and not current.get(opt.name):
                    current[opt.name] = opt.default
            await settings.put_provider(conn, args.name, current)
        print(f"{args.name}: saved")
        for name in generated:
            print(f"generated {name} (enter it in the PBX; shown once):")
            print(current[name])
        return 0

    return await _with_store(config, work)


async def cmd_provider_show(args: argparse.Namespace, config: RelayConfig) -> int:
    async def work(store: Store) -> int:
        async with store.read() as conn:
            configs = await settings.provider_configs(conn)
            statuses = await provider_status.load_all(conn)
        if not configs:
            print("no provider configured (trubka-relay provider set NAME ...)")
        for name, values in configs:
            spec = SPECS.get(name)
            secret = {o.name for o in spec.options if o.secret} if spec else set(values)
            print(f"{name}:")
            for key, value in sorted(values.items()):
                shown = _mask(value) if key in secret else value
                print(f"  {key.replace('_', '-')}: {shown}")
            if spec is not None:
                print(f"  webhook: POST {spec.webhook_path()}")
            for key, value in statuses.get(name, {}).items():
                print(f"  status {key.replace('_', '-')}: {value}")
        return 0

    return await _with_store(config, work)


async def cmd_provider_options(args: argparse.Namespace, config: RelayConfig) -> int:
    for opt in SPECS[args.name].options:
        extra = f" (default {opt.default})" if opt.default else ""
        print(f"  {opt.flag:<18} {opt.help}{extra}")
    return 0


async def cmd_settings_set(args: argparse.Namespace, config: RelayConfig) -> int:
    try:
        settings.parse_setting(args.key, args.value)
    except ValueError as exc:
        raise CliError(f"{args.key} must be {exc}") from None

    async def work(store: Store) -> int:
        async with store.write() as conn:
            await settings.put(conn, args.key, args.value)
        print(f"{args.key} = {args.value.strip()}")
        return 0

    return await _with_store(config, work)


async def cmd_settings_show(args: argparse.Namespace, config: RelayConfig) -> int:
    async def work(store: Store) -> int:
        async with store.read() as conn:
            rt = await settings.load(conn)
        for key in settings.SETTINGS:
            value = getattr(rt, key.replace("-", "_"))
            if isinstance(value, bool):
                value = "on" if value else "off"
            print(f"{key} = {value}")
        return 0

    return await _with_store(config, work)


async def cmd_users_add(args: argparse.Namespace, config: RelayConfig) -> int:
    name, ext = args.name.strip(), args.ext.strip()
    if not name or not ext or len(ext) > 64 or not ext.replace("-", "").isalnum():
        raise CliError("--name must not be empty and --ext must be letters or digits")

    async def work(store: Store) -> int:
        async with store.write() as conn:
            if await users.user_by_ext(conn, ext) is not None:
                raise CliError(f"extension {ext} exists (use `users token --ext {ext}`)")
            user = await users.add_user(conn, name, ext, args.pbx_user.strip())
            token = await users.issue_token(conn, user.id)
        print(f"added {user.name} (ext {user.ext}); desktop token, shown once:")
        print(token)
        return 0

    return await _with_store(config, work)


async def cmd_users_list(args: argparse.Namespace, config: RelayConfig) -> int:
    async def work(store: Store) -> int:
        async with store.read() as conn:
            rows = await users.list_users(conn)
        print(f"{'ext':<8} {'name':<30} {'pbx user':<16} tokens")
        for user, active in rows:
            print(f"{user.ext:<8} {user.name:<30} {user.pbx_user:<16} {active}")
        return 0

    return await _with_store(config, work)


async def _user_or_fail(conn: Any, ext: str) -> users.User:
    user = await users.user_by_ext(conn, ext)
    if user is None:
        raise CliError(f"no employee with extension {ext}")
    return user


async def cmd_users_revoke(args: argparse.Namespace, config: RelayConfig) -> int:
    async def work(store: Store) -> int:
        async with store.write() as conn:
            user = await _user_or_fail(conn, args.ext)
            count = await users.revoke_tokens(conn, user.id)
        print(f"revoked {count} token(s) of ext {args.ext}")
        return 0

    return await _with_store(config, work)


async def cmd_users_token(args: argparse.Namespace, config: RelayConfig) -> int:
    async def work(store: Store) -> int:
        async with store.write() as conn:
            user = await _user_or_fail(conn, args.ext)
            token = await users.issue_token(conn, user.id)
        print(f"new token for ext {user.ext}, shown once:")
        print(token)
        return 0

    return await _with_store(config, work)


async def cmd_users_sync(args: argparse.Namespace, config: RelayConfig) -> int:
    from trubka.http import make_client

    async def work(store: Store) -> int:
        async with store.read() as conn:
            configs = dict(await settings.provider_configs(conn))
        listing = [n for n in configs if n in SPECS and SPECS[n].capabilities.accounts]
        name = args.provider or (listing[0] if listing else "")
        if name not in configs:
            raise CliError(f"{name or 'no PBX that lists its users'} is not configured")
        async with make_client() as http:
            accounts = await SPECS[name].build(configs[name], http).accounts()
        async with store.write() as conn:
            for account in accounts:
                user = await users.link_account(conn, account.ext, account.login)
                if user is None:
                    print(f"  {account.login} (ext {account.ext or '-'}, {account.name}): "
                          "no relay user with that extension")
                    continue
                print(f"  {account.login} → ext {user.ext} ({user.name})")
        return 0

    return await _with_store(config, work)


async def cmd_contacts_import(args: argparse.Namespace, config: RelayConfig) -> int:
    async def work(store: Store) -> int:
        async with store.read() as conn:
            country = (await settings.load(conn)).default_country
        try:
            items = addressbook.read_file(args.file, country)
        except addressbook.ImportRefused as exc:
            for problem in exc.problems[:50]:
                print(f"  {problem}", file=sys.stderr)
            more = len(exc.problems) - 50
            if more > 0:
                print(f"  … and {more} more", file=sys.stderr)
            raise CliError(f"{args.file}: nothing imported, fix the rows above") from None
        except OSError as exc:
            raise CliError(f"{args.file}: {exc.strerror}") from None
        async with store.write() as conn:
            await contacts.create_many(conn, items)
            from trubka.relay.service import Log

            log_ = Log(conn)
            for user_id in await users.all_user_ids(conn):
                await log_.contacts(user_id, None)
        print(f"imported {len(items)} contact(s) from {args.file}")
        return 0

    return await _with_store(config, work)


async def cmd_contacts_export(args: argparse.Namespace, config: RelayConfig) -> int:
    async def work(store: Store) -> int:
        async with store.read() as conn:
            records = await contacts.iterate(conn)
        vcf = args.file.suffix.lower() in (".vcf", ".vcard")
        text = addressbook.write_vcards(records) if vcf else addressbook.write_csv(records)
        try:
            args.file.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise CliError(f"{args.file}: {exc.strerror}") from None
        print(f"exported {len(records)} contact(s) to {args.file}")
        return 0

    return await _with_store(config, work)


async def cmd_maintain(args: argparse.Namespace, config: RelayConfig) -> int:
    from trubka.relay.app import trim

    async def work(store: Store) -> int:
        events, entries = await trim(store)
        print(f"trimmed {events} event(s) and {entries} finished call(s)")
        return 0

    return await _with_store(config, work)


async def cmd_simulate(args: argparse.Namespace, config: RelayConfig) -> int:
    if args.scenario in simulator.SCENARIOS:
        call = simulator.CallSpec(ext=args.ext, phone=args.phone, line=args.line)
        steps = simulator.SCENARIOS[args.scenario]
    else:
        try:
            call, steps = simulator.stand_query(args.scenario)
        except simulator.StandQueryError as exc:
            raise CliError(f"not a scenario nor a test-stand query: {exc}") from None
    token = args.token
    if token is None:
        async def read(store: Store) -> int:
            nonlocal token
            async with store.read() as conn:
                token = SPECS[args.provider].sim_token(dict(
                    await settings.provider_configs(conn)).get(args.provider, {}))
            return 0
        await _with_store(config, read)
        if not token:
            raise CliError(f"no webhook token: pass --token or `provider set {args.provider}`")

    def show(posted: simulator.Posted) -> None:
        body = posted.request.body.decode().replace(token, "***")
        print(f"POST {posted.request.path.replace(token, '***')} {body}")
        print(f"  → {posted.status} {posted.reply}")

    results = await simulator.play(args.relay, steps, call, token, args.provider,
                                   pause_scale=args.pause, on_post=show)
    if not results:
        print(f"{args.provider} sends nothing for {args.scenario}")
    return 0 if all(r.status < 300 for r in results) else 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())


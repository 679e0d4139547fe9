"""The `trubka-relay` commands: each parses its arguments, calls the admin layer
(relay/admin) and prints the result; the last line is what a script wants (a token, a
link)."""

from __future__ import annotations

import argparse
import csv
import io
import sys
from datetime import UTC, datetime

from trubka.core.csvcells import neutralise
from trubka.providers import SPECS
from trubka.relay import addressbook, admin, simulator
from trubka.relay.config import RelayConfig
from trubka.relay.private import write_private


class CliError(Exception):
    """A refusal to print as `trubka-relay: error: …` with exit code 2."""


async def provider_set(args: argparse.Namespace, config: RelayConfig) -> int:
    spec = SPECS[args.name]
    sub = argparse.ArgumentParser(prog=f"trubka-relay provider set {args.name}")
    for opt in spec.options:
        sub.add_argument(opt.flag, dest=opt.name, help=opt.help + (
            f" (env {spec.env_name(opt)})" if opt.secret else ""))
    if any(opt.generate for opt in spec.options):
        sub.add_argument("--rotate", action="store_true",
                         help="generate new values for the generated secrets (the webhook "
                         "token); the PBX must then be given the new one")
    given = vars(sub.parse_args(args.options))
    rotate = bool(given.pop("rotate", False))
    async with admin.open_admin(config) as a:
        saved = await admin.set_provider(a, args.name, given, rotate=rotate)
    print(f"{args.name}: saved")
    for name, value in saved.generated.items():
        print(f"generated {name} (enter it in the PBX; shown once):")
        print(value)
    return 0


async def provider_show(args: argparse.Namespace, config: RelayConfig) -> int:
    async with admin.open_admin(config) as a:
        views = await admin.provider_views(a, only_configured=True)
    if not views:
        print("no provider configured (trubka-relay provider set NAME ...)")
    for view in views:
        print(f"{view.name}:")
        for key, value in view.options.items():
            print(f"  {key.replace('_', '-')}: {value}")
        print(f"  webhook: POST {view.spec.webhook_path()}")
        for key, state in view.status.items():
            print(f"  status {key.replace('_', '-')}: {state}")
    return 0


async def provider_options(args: argparse.Namespace, config: RelayConfig) -> int:
    for opt in SPECS[args.name].options:
        extra = f" (default {opt.default})" if opt.default else ""
        print(f"  {opt.flag:<18} {opt.help}{extra}")
    return 0


async def settings_set(args: argparse.Namespace, config: RelayConfig) -> int:
    async with admin.open_admin(config) as a:
        value = await admin.set_setting(a, args.key, args.value)
    print(f"{args.key} = {value}")
    return 0


async def settings_show(args: argparse.Namespace, config: RelayConfig) -> int:
    async with admin.open_admin(config) as a:
        for spec, value in await admin.setting_values(a):
            print(f"{spec.key} = {value}")
    return 0


async def users_add(args: argparse.Namespace, config: RelayConfig) -> int:
    async with admin.open_admin(config) as a:
        expires = admin.parse_expiry(args.expires) if args.enroll else None
        user, token = await admin.add_user(a, args.name, args.ext, args.pbx_user, args.email,
                                           args.role)
        if expires is not None:
            made = await admin.enroll(a, user.ext, expires)
            print(f"added {user.name} (ext {user.ext}); enrolment link, single use, valid "
                  f"until {_utc(made.expires_at)}:")
            print(made.link)
            return 0
    print(f"added {user.name} (ext {user.ext}); desktop token, shown once:")
    print(token)
    return 0


def _utc(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


async def users_list(args: argparse.Namespace, config: RelayConfig) -> int:
    async with admin.open_admin(config) as a:
        rows = await admin.list_users(a)
    print(f"{'ext':<8} {'name':<28} {'role':<6} {'e-mail':<24} tokens  {'last seen':<16} "
          "PBX logins")
    for row in rows:
        u = row.user
        seen = row.last_seen.strftime("%Y-%m-%d %H:%M") if row.last_seen else "-"
        logins = [u.pbx_user] if u.pbx_user else []
        logins += [f"{login} ({provider})" for provider, login in sorted(row.logins.items())]
        print(f"{u.ext:<8} {u.name:<28} {u.role:<6} {u.email or '-':<24} "
              f"{row.active_tokens:<7} {seen:<16} {', '.join(logins) or '-'}")
    return 0


async def users_revoke(args: argparse.Namespace, config: RelayConfig) -> int:
    async with admin.open_admin(config) as a:
        count = await admin.revoke(a, args.ext)
    print(f"revoked {count} token(s) of ext {args.ext}")
    return 0


async def users_token(args: argparse.Namespace, config: RelayConfig) -> int:
    async with admin.open_admin(config) as a:
        user, token = await admin.issue_token(a, args.ext)
    print(f"new token for ext {user.ext}, shown once:")
    print(token)
    return 0


async def users_enroll(args: argparse.Namespace, config: RelayConfig) -> int:
    expires = admin.parse_expiry(args.expires)
    async with admin.open_admin(config) as a:
        made = await admin.enroll(a, args.ext, expires, args.revoke_others)
    print(f"enrolment link for {made.user.name} (ext {made.user.ext}), single use, valid "
          f"until {_utc(made.expires_at)}:")
    print(made.link)
    return 0


async def users_import(args: argparse.Namespace, config: RelayConfig) -> int:
    if args.links_out and not args.enroll:
        raise CliError("--links-out needs --enroll")
    try:
        text = args.file.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise CliError(f"{args.file}: {getattr(exc, 'strerror', None) or exc}") from None
    rows = admin.parse_users_csv(text)
    expires = admin.parse_expiry(args.expires)
    async with admin.open_admin(config) as a:
        done = await admin.import_users(a, rows)
        links = await admin.enroll_many(a, [u.ext for u, _ in done], expires) \
            if args.enroll else []
    created = sum(1 for _, new in done if new)
    print(f"imported {len(done)} employee(s) from {args.file}: {created} added, "
          f"{len(done) - created} updated")
    if args.links_out:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(["name", "ext", "link", "expires_at"])
        for made in links:
            writer.writerow([neutralise(cell) for cell in (
                made.user.name, made.user.ext, made.link, made.expires_at.isoformat())])
        write_private(args.links_out, buffer.getvalue())  # the links sign people in
        print(f"wrote {len(links)} enrolment link(s) to {args.links_out}")
    elif links:
        for made in links:
            print(f"{made.user.ext}\t{made.link}")
    return 0


async def users_set_role(args: argparse.Namespace, config: RelayConfig) -> int:
    async with admin.open_admin(config) as a:
        user = await admin.update(a, args.ext, role=args.role)
    print(f"ext {user.ext} ({user.name}) is now {user.role}")
    return 0


async def users_sync(args: argparse.Namespace, config: RelayConfig) -> int:
    async with admin.open_admin(config) as a:
        mapped = await admin.sync_users(a, args.provider or "")
    for account, user in mapped:
        if user is None:
            print(f"  {account.login} (ext {account.ext or '-'}, {account.name}): "
                  "no relay user with that extension")
        else:
            print(f"  {account.login} → ext {user.ext} ({user.name})")
    return 0


async def contacts_import(args: argparse.Namespace, config: RelayConfig) -> int:
    async with admin.open_admin(config) as a:
        try:
            count = await admin.import_file(a, args.file)
        except addressbook.ImportRefused as exc:
            for problem in exc.problems[:50]:
                print(f"  {problem}", file=sys.stderr)
            if len(exc.problems) > 50:
                print(f"  … and {len(exc.problems) - 50} more", file=sys.stderr)
            raise CliError(f"{args.file}: nothing imported, fix the rows above") from None
        except OSError as exc:
            raise CliError(f"{args.file}: {exc.strerror}") from None
    print(f"imported {count} contact(s) from {args.file}")
    return 0


async def contacts_export(args: argparse.Namespace, config: RelayConfig) -> int:
    vcard = args.file.suffix.lower() in (".vcf", ".vcard")
    async with admin.open_admin(config) as a:
        text, count = await admin.export_contacts(a, vcard)
    try:
        args.file.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise CliError(f"{args.file}: {exc.strerror}") from None
    print(f"exported {count} contact(s) to {args.file}")
    return 0


async def crm_set(args: argparse.Namespace, config: RelayConfig) -> int:
    spec = admin.crm_spec(args.name)
    sub = argparse.ArgumentParser(prog=f"trubka-relay crm set {args.name}")
    for opt in spec.options:
        sub.add_argument(opt.flag, dest=opt.name, help=opt.help + (
            f" (env {spec.env_name(opt)})" if opt.secret else ""))
    given = vars(sub.parse_args(args.options))
    async with admin.open_admin(config) as a:
        await admin.set_crm(a, args.name, given)
    print(f"{args.name}: saved (crm test PHONE checks it)")
    return 0


async def crm_show(args: argparse.Namespace, config: RelayConfig) -> int:
    async with admin.open_admin(config) as a:
        view = await admin.crm_view(a)
    if view is None:
        print("no CRM configured (trubka-relay crm set NAME ...)")
        return 0
    print(f"{view.name} ({view.spec.title('en')}):")
    for key, value in view.options.items():
        print(f"  {key.replace('_', '-')}: {value}")
    for key, state in view.status.items():
        print(f"  status {key.replace('_', '-')}: {state}")
    if view.index is not None:
        print(f"  index: {view.index[0]} object(s), {view.index[1]} number(s)")
    if view.writes:
        print("  calls written: " + ", ".join(f"{n} {s}" for s, n in sorted(view.writes.items())))
    return 0


async def crm_test(args: argparse.Namespace, config: RelayConfig) -> int:
    async with admin.open_admin(config) as a:
        result = await admin.crm_test(a, args.phone)
    where = {"index": "the relay's local index", "live": "a request to the CRM",
             "error": "a request to the CRM, which failed"}.get(result.origin, result.origin)
    print(f"{result.phone}: from {result.connector}, {where}, {result.seconds * 1000:.0f} ms")
    contact = result.contact
    if contact is None:
        print("  not found" + (f" ({result.error})" if result.error else ""))
    else:
        for key in ("name", "company", "responsible_ext", "crm_url"):
            value = getattr(contact, key)
            if value:
                print(f"  {key.replace('_', ' ')}: {value}")
    print(f"  check: {result.check or 'failed: ' + result.error}")
    return 0 if result.origin != "error" and not result.error else 1


async def crm_off(args: argparse.Namespace, config: RelayConfig) -> int:
    async with admin.open_admin(config) as a:
        name = await admin.crm_off(a)
    print(f"{name}: off")
    return 0


async def crm_refresh(args: argparse.Namespace, config: RelayConfig) -> int:
    async with admin.open_admin(config) as a:
        done = await admin.crm_refresh(a, args.full)
    print(f"index {'loaded' if done.full else 'refreshed'} in {done.seconds:.1f} s: "
          f"{done.changed} object(s) read, {done.removed} removed; now {done.objects} "
          f"object(s), {done.numbers} number(s)")
    return 0


async def crm_options(args: argparse.Namespace, config: RelayConfig) -> int:
    spec = admin.crm_spec(args.name)
    for opt in spec.options:
        extra = f" (default {opt.default})" if opt.default else ""
        secret = f" (secret; env {spec.env_name(opt)})" if opt.secret else ""
        print(f"  {opt.flag:<22} {opt.help}{extra}{secret}")
    return 0


async def maintain(args: argparse.Namespace, config: RelayConfig) -> int:
    async with admin.open_admin(config) as a:
        events, entries = await admin.trim(a)
    print(f"trimmed {events} event(s) and {entries} finished call(s)")
    return 0


async def simulate(args: argparse.Namespace, config: RelayConfig) -> int:
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
        async with admin.open_admin(config) as a:
            token = await admin.simulator_token(a, args.provider)
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

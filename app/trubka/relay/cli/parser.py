"""The `trubka-relay` command line: every command, option and its help, in one place."""

from __future__ import annotations

import argparse
from pathlib import Path

from trubka.providers import SPECS
from trubka.relay import simulator
from trubka.relay.cli import commands as c
from trubka.relay.crm import SPECS as CRM_SPECS
from trubka.relay.store.settings import SETTINGS


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

    _providers(sub)
    _settings(sub)
    _users(sub)
    _contacts(sub)
    _crm(sub)
    sub.add_parser("maintain", help="trim the event log and the journal to their retention "
                   "now (the server also does it every minute)").set_defaults(
                       handler=c.maintain)
    _simulate(sub)
    return p


def _providers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    provider = sub.add_parser("provider", help="configure a PBX").add_subparsers(
        dest="action", required=True, metavar="ACTION")
    pset = provider.add_parser("set", help="set a provider's options: provider set NAME "
                               "[--webhook-token T] [--api-key K] [--api-url URL] ...")
    pset.add_argument("name", choices=sorted(SPECS), help="the PBX")
    pset.add_argument("options", nargs=argparse.REMAINDER,
                      help="provider options (see `provider options NAME`)")
    pset.set_defaults(handler=c.provider_set)
    provider.add_parser("show", help="show configured providers (secrets masked)") \
        .set_defaults(handler=c.provider_show)
    popts = provider.add_parser("options", help="list a provider's options")
    popts.add_argument("name", choices=sorted(SPECS))
    popts.set_defaults(handler=c.provider_options)


def _settings(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    sset = sub.add_parser("settings", help="relay settings").add_subparsers(
        dest="action", required=True, metavar="ACTION")
    s1 = sset.add_parser("set", help="settings set KEY VALUE (last-digits, smart-transfer, "
                         "default-country, retention-days, public-url, ...)")
    s1.add_argument("key", choices=sorted(SETTINGS))
    s1.add_argument("value")
    s1.set_defaults(handler=c.settings_set)
    sset.add_parser("show", help="show every setting").set_defaults(handler=c.settings_show)


def _users(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    u = sub.add_parser("users", help="employees, their desktop tokens and enrolment links") \
        .add_subparsers(dest="action", required=True, metavar="ACTION")
    uadd = u.add_parser("add", help="add an employee; prints the token (or, with --enroll, "
                        "an enrolment link) as the last line")
    uadd.add_argument("--name", required=True)
    uadd.add_argument("--ext", required=True, help="the employee's extension")
    uadd.add_argument("--pbx-user", default="", help="login/key at the PBX, where it differs")
    uadd.add_argument("--email", default="", help="e-mail (maps CRM users to employees)")
    uadd.add_argument("--role", default="user", choices=("user", "admin"))
    uadd.add_argument("--enroll", action="store_true",
                      help="print a one-time enrolment link instead of the token")
    uadd.add_argument("--expires", default="7d", help="enrolment link lifetime (30m, 12h, 7d)")
    uadd.set_defaults(handler=c.users_add)
    u.add_parser("list", help="list employees").set_defaults(handler=c.users_list)
    urev = u.add_parser("revoke", help="revoke an employee's tokens (open sockets close)")
    urev.add_argument("--ext", required=True)
    urev.set_defaults(handler=c.users_revoke)
    utok = u.add_parser("token", help="issue a new token for an employee (printed last)")
    utok.add_argument("--ext", required=True)
    utok.set_defaults(handler=c.users_token)
    uenr = u.add_parser("enroll", help="a one-time enrolment link for an employee "
                        "(printed last): https://<public-url>/enroll#<code>")
    uenr.add_argument("--ext", required=True)
    uenr.add_argument("--expires", default="7d", help="how long the link works (30m, 12h, 7d)")
    uenr.add_argument("--revoke-others", action="store_true",
                      help="signing in with it signs out the employee's other devices")
    uenr.set_defaults(handler=c.users_enroll)
    uimp = u.add_parser("import", help="create or update employees from a CSV file "
                        "(columns name, ext, pbx_user, email, role)")
    uimp.add_argument("file", type=Path)
    uimp.add_argument("--enroll", action="store_true", help="make an enrolment link for each")
    uimp.add_argument("--links-out", type=Path, help="write the links to this CSV file")
    uimp.add_argument("--expires", default="7d", help="enrolment link lifetime (30m, 12h, 7d)")
    uimp.set_defaults(handler=c.users_import)
    urole = u.add_parser("set-role", help="make an employee an administrator or a user")
    urole.add_argument("--ext", required=True)
    urole.add_argument("role", choices=("user", "admin"))
    urole.set_defaults(handler=c.users_set_role)
    usync = u.add_parser("sync", help="map the PBX's logins to employees by extension")
    usync.add_argument("--provider", choices=sorted(SPECS),
                       help="the PBX to ask (default: the configured one that lists users)")
    usync.set_defaults(handler=c.users_sync)


def _contacts(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    cmd = sub.add_parser("contacts", help="the shared address book").add_subparsers(
        dest="action", required=True, metavar="ACTION")
    cimp = cmd.add_parser("import", help="import a .csv or .vcf file (all or nothing)")
    cimp.add_argument("file", type=Path)
    cimp.set_defaults(handler=c.contacts_import)
    cexp = cmd.add_parser("export", help="export to a .csv or .vcf file")
    cexp.add_argument("file", type=Path)
    cexp.set_defaults(handler=c.contacts_export)


def _crm(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    crm = sub.add_parser("crm", help="the company's CRM: caller cards, calls written back") \
        .add_subparsers(dest="action", required=True, metavar="ACTION")
    cset = crm.add_parser("set", help="set the CRM connector: crm set NAME [options] "
                          f"(NAME: {', '.join(CRM_SPECS)})")
    cset.add_argument("name", choices=list(CRM_SPECS), help="the connector")
    cset.add_argument("options", nargs=argparse.REMAINDER,
                      help="connector options (see `crm options NAME`)")
    cset.set_defaults(handler=c.crm_set)
    crm.add_parser("show", help="show the connector, its status and index (secrets masked)") \
        .set_defaults(handler=c.crm_show)
    ctest = crm.add_parser("test", help="look a number up in the CRM now: the match, where "
                           "it came from, how long it took")
    ctest.add_argument("phone")
    ctest.set_defaults(handler=c.crm_test)
    crm.add_parser("off", help="stop using the CRM (its cache and index are dropped)") \
        .set_defaults(handler=c.crm_off)
    cref = crm.add_parser("refresh", help="bring the CRM's local phone index (1C) up to "
                          "date now")
    cref.add_argument("--full", action="store_true", help="reload it whole")
    cref.set_defaults(handler=c.crm_refresh)
    copts = crm.add_parser("options", help="list a connector's options")
    copts.add_argument("name", choices=list(CRM_SPECS))
    copts.set_defaults(handler=c.crm_options)


def _simulate(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
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
    sim.set_defaults(handler=c.simulate)

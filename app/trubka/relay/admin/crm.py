"""The CRM connector (SPEC §9.6): set, show, test, off, refresh the local index.

Like `set_provider`, options not given keep their values, secrets may come from
`TRUBKA_RELAY_CRM_<NAME>_<OPTION>`, and every change goes through `settings.changed`,
so running relays rebuild their connector at once (relay/watch.py).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field

from trubka.core.contacts import Contact
from trubka.core.errors import InvalidNumber, InvalidRequest, NotConfigured, NotFound
from trubka.core.numbers import try_normalize
from trubka.relay.admin.config import mask
from trubka.relay.admin.context import Admin
from trubka.relay.crm import SPECS
from trubka.relay.crm.base import ConnectorSpec, parse_map, reason
from trubka.relay.crm.indexer import Indexer, Refreshed
from trubka.relay.crm.service import STATUS_KEY, CrmService
from trubka.relay.metrics import Metrics
from trubka.relay.registry import ProviderRegistry
from trubka.relay.store import crm as crm_store
from trubka.relay.store import crm_index, status


def crm_spec(name: str) -> ConnectorSpec:
    if name not in SPECS:
        raise NotFound(f"unknown CRM connector {name!r} (known: {', '.join(SPECS)})")
    return SPECS[name]


def service(admin: Admin) -> CrmService:
    """The relay's CRM service, for a process beside the server (the CLI)."""
    return CrmService(admin.store, ProviderRegistry(admin.store, admin.http), admin.http,
                      Metrics())


async def set_crm(admin: Admin, name: str, given: Mapping[str, str | None],
                  environ: Mapping[str, str] = os.environ) -> dict[str, str]:
    """Make `name` the CRM connector with these options; the options as stored.
    Another connector set before is replaced (one CRM at a time)."""
    spec = crm_spec(name)
    known = {opt.name for opt in spec.options}
    unknown = sorted(k for k, v in given.items() if k not in known and v is not None)
    if unknown:
        raise InvalidRequest(f"{name} has no option {unknown[0]!r}",
                             [{"field": k, "message": "unknown option"} for k in unknown])
    async with admin.store.read() as conn:
        before = await crm_store.configured(conn)
    config = dict(before[1]) if before is not None and before[0] == name else {}
    for opt in spec.options:
        value = given.get(opt.name) or (spec.env_value(opt, environ) if opt.secret else "")
        if value:
            config[opt.name] = value.strip()
        elif opt.default and not config.get(opt.name):
            config[opt.name] = opt.default
    problems = spec.check_options(config)
    try:
        parse_map(config.get("map", ""))
    except ValueError as exc:
        problems.append(f"--map: {exc}")
    if problems:
        raise InvalidRequest("; ".join(problems),
                             [{"field": name, "message": p} for p in problems])
    async with admin.writer.transaction() as (conn, _):
        if before is not None and before[0] != name:
            await crm_index.clear(conn, before[0])
        await crm_store.forget_answers(conn)
        await crm_store.put_config(conn, name, config)
    return config


@dataclass(frozen=True)
class CrmView:
    """The configured connector as `crm show` and the console print it: secrets masked."""

    spec: ConnectorSpec
    options: dict[str, str]
    status: dict[str, object]
    index: tuple[int, int] | None = None  # (objects, numbers) for a connector with one
    writes: dict[str, int] = field(default_factory=dict)  # ledger rows by state

    @property
    def name(self) -> str:
        return self.spec.name


async def crm_view(admin: Admin) -> CrmView | None:
    async with admin.store.read() as conn:
        found = await crm_store.configured(conn)
        if found is None or found[0] not in SPECS:
            return None
        spec = SPECS[found[0]]
        state = (await status.load_all(conn)).get(STATUS_KEY, {})
        if state.get("connector") != spec.name:
            state = {}
        index = await crm_index.counts(conn, spec.name) if spec.capabilities.index else None
        writes = await crm_store.write_counts(conn)
    shown = {k: mask(v) if k in spec.secrets() else v for k, v in sorted(found[1].items())}
    return CrmView(spec, shown, {k: v for k, v in state.items() if k != "connector"}, index,
                   writes)


async def crm_off(admin: Admin) -> str:
    """Forget the connector (its cache and index too); the name it had."""
    async with admin.writer.transaction() as (conn, _):
        name = await crm_store.delete_config(conn)
    if name is None:
        raise NotConfigured("no CRM is configured")
    return name


@dataclass(frozen=True)
class CrmTest:
    phone: str
    connector: str
    contact: Contact | None
    origin: str  # index | live | timeout | error
    seconds: float
    check: str = ""  # the connector's own check of its credentials
    error: str = ""


async def crm_test(admin: Admin, phone: str) -> CrmTest:
    """Look `phone` up in the CRM now (not from the cache), and check the credentials."""
    crm = service(admin)
    active = await crm.active()
    if active is None:
        raise NotConfigured("no CRM is configured (trubka-relay crm set NAME ...)")
    rt = await crm.registry.settings()
    number = try_normalize(phone, rt.default_country)
    if number is None:
        raise InvalidNumber(f"Not a phone number: {phone!r}")
    answer = await crm.find(number, rt, fresh=True)
    try:
        check = await crm.track(active, active.connector.check)
        error = answer.error
    except Exception as exc:
        check, error = "", answer.error or reason(exc)
    return CrmTest(number.canonical, active.name, answer.contact, answer.origin,
                   answer.seconds, check, error)


async def crm_refresh(admin: Admin, full: bool = False) -> Refreshed:
    """Bring the CRM's local index up to date now (a full reload with `full`)."""
    return await Indexer(service(admin)).refresh(full)


"""PBX providers and the relay's runtime settings."""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field

from trubka.core.errors import InvalidRequest, UnknownProvider
from trubka.providers import SPECS
from trubka.providers.spec import ProviderSpec
from trubka.relay.admin.context import Admin
from trubka.relay.store import settings
from trubka.relay.store import status as provider_status
from trubka.relay.store.settings import SETTINGS, Setting


def mask(value: str) -> str:
    """A secret as `provider show` and the console print it."""
    return "***" + value[-4:] if len(value) > 8 else "***"


def _spec(name: str) -> ProviderSpec:
    if name not in SPECS:
        raise UnknownProvider(f"unknown provider {name!r} (known: {', '.join(sorted(SPECS))})")
    return SPECS[name]


@dataclass(frozen=True)
class ProviderSaved:
    name: str
    config: dict[str, str]
    generated: dict[str, str] = field(default_factory=dict)  # shown once, never again


async def set_provider(admin: Admin, name: str, given: Mapping[str, str | None],
                       rotate: bool = False,
                       environ: Mapping[str, str] = os.environ) -> ProviderSaved:
    """Set `name`'s options (the others keep their values). Secrets not given come from
    `TRUBKA_RELAY_<PROVIDER>_<OPTION>`; generated secrets (a webhook token) are made when
    missing or when `rotate`, and returned once."""
    spec = _spec(name)
    known = {opt.name for opt in spec.options}
    unknown = sorted(set(given) - known)
    if unknown:
        raise InvalidRequest(f"{name} has no option {unknown[0]!r}",
                             [{"field": k, "message": "unknown option"} for k in unknown])
    async with admin.writer.transaction() as (conn, _):
        current = dict(dict(await settings.provider_configs(conn)).get(name, {}))
        generated: dict[str, str] = {}
        for opt in spec.options:
            value = given.get(opt.name) or (spec.env_value(opt, environ) if opt.secret else "")
            if value:
                current[opt.name] = value.strip()
            elif opt.generate and (rotate or not current.get(opt.name)):
                current[opt.name] = generated[opt.name] = secrets.token_urlsafe(24)
            elif opt.default and not current.get(opt.name):
                current[opt.name] = opt.default
        await settings.put_provider(conn, name, current)
    return ProviderSaved(name, current, generated)


@dataclass(frozen=True)
class ProviderView:
    """One PBX as the administrator sees it: secrets masked."""

    spec: ProviderSpec
    configured: bool
    options: dict[str, str]
    status: dict[str, object]

    @property
    def name(self) -> str:
        return self.spec.name


async def provider_views(admin: Admin, only_configured: bool = False) -> list[ProviderView]:
    async with admin.store.read() as conn:
        configs = dict(await settings.provider_configs(conn))
        statuses = await provider_status.load_all(conn)
    views = []
    for spec in SPECS.values():
        values = configs.get(spec.name)
        if values is None and only_configured:
            continue
        secret = {o.name for o in spec.options if o.secret}
        shown = {k: mask(v) if k in secret else v for k, v in sorted((values or {}).items())}
        views.append(ProviderView(spec, values is not None, shown,
                                  statuses.get(spec.name, {})))
    return views


async def set_setting(admin: Admin, key: str, value: str) -> str:
    """Change one runtime setting; the value as stored. A bad one is InvalidRequest."""
    if key not in SETTINGS:
        raise InvalidRequest(f"unknown setting {key!r}",
                             [{"field": key, "message": "unknown setting"}])
    try:
        settings.parse_setting(key, value)
    except ValueError as exc:
        raise InvalidRequest(f"{key} must be {exc}",
                             [{"field": key, "message": f"must be {exc}"}]) from None
    async with admin.writer.transaction() as (conn, _):
        await settings.put(conn, key, value)
        stored = await settings.load(conn)
    return shown(getattr(stored, key.replace("-", "_")))


async def set_settings(admin: Admin, values: Mapping[str, str]) -> list[tuple[Setting, str]]:
    """Change several settings at once: all are checked first, then written together."""
    problems = {}
    for key, value in values.items():
        try:
            settings.parse_setting(key, value)
        except KeyError:
            problems[key] = "unknown setting"
        except ValueError as exc:
            problems[key] = f"must be {exc}"
    if problems:
        raise InvalidRequest.fields(problems)
    async with admin.writer.transaction() as (conn, _):
        for key, value in values.items():
            await settings.put(conn, key, value)
    return await setting_values(admin)


def shown(value: object) -> str:
    if isinstance(value, bool):
        return "on" if value else "off"
    if isinstance(value, tuple):
        return " ".join(str(v) for v in value)
    return str(value)


async def setting_values(admin: Admin) -> list[tuple[Setting, str]]:
    async with admin.store.read() as conn:
        current = await settings.load(conn)
    return [(spec, shown(getattr(current, key.replace("-", "_"))))
            for key, spec in SETTINGS.items()]


async def simulator_token(admin: Admin, name: str) -> str | None:
    """The secret the simulator signs or sends for `name`, from its stored settings."""
    async with admin.store.read() as conn:
        config = dict(await settings.provider_configs(conn)).get(name, {})
    return _spec(name).sim_token(config)

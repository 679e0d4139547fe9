"""Runtime settings (SPEC §4 R4) and provider configurations, kept in the database.

They live in the database rather than a file so that `trubka-relay settings set …` and
`provider set …` take effect on a running relay, and on every replica at once.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from trubka.core.model import utcnow
from trubka.core.numbers import DEFAULT_COUNTRY, DEFAULT_LAST_DIGITS
from trubka.relay.store import db
from trubka.relay.store.db import CONFIG_CHANGED
from trubka.relay.store.schema import providers, settings


@dataclass(frozen=True, slots=True)
class Setting:
    key: str
    help: str
    default: str
    parse: Any  # str -> value, raises ValueError with a reason


def _int_range(low: int, high: int):  # type: ignore[no-untyped-def]
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise ValueError(f"a whole number from {low} to {high}") from None
        if not low <= value <= high:
            raise ValueError(f"a whole number from {low} to {high}")
        return value
    return parse


def _on_off(text: str) -> bool:
    lowered = text.strip().lower()
    if lowered in ("on", "true", "1", "yes"):
        return True
    if lowered in ("off", "false", "0", "no"):
        return False
    raise ValueError("on or off")


def _country(text: str) -> str:
    import phonenumbers

    code = text.strip().upper()
    if code not in phonenumbers.SUPPORTED_REGIONS:
        raise ValueError("a two-letter country code such as RU")
    return code


def _provider_name(text: str) -> str:
    from trubka.providers import SPECS

    name = text.strip()
    if name and name not in SPECS:
        raise ValueError("one of " + ", ".join(sorted(SPECS)))
    return name


def _public_url(text: str) -> str:
    from urllib.parse import urlsplit

    url = text.strip().rstrip("/")
    if not url:
        return ""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query \
            or parts.fragment or parts.username:
        raise ValueError("an http(s):// address without query or fragment, "
                         "e.g. https://relay.example.ru")
    return url


def _label(text: str) -> str:
    label = " ".join(text.split())
    if len(label) > 100 or not label.isprintable():
        raise ValueError("up to 100 printable characters")
    return label


def _lookup_order(text: str) -> str:
    order = ",".join(part.strip() for part in text.lower().split(","))
    if order not in ("book,crm", "crm,book"):
        raise ValueError("book,crm (the address book first) or crm,book")
    return order


def _origins(text: str) -> tuple[str, ...]:
    from urllib.parse import urlsplit

    out = []
    for item in text.replace(",", " ").split():
        parts = urlsplit(item.rstrip("/"))
        if parts.scheme not in ("http", "https") or not parts.hostname or parts.path \
                or parts.query or parts.fragment or parts.username:
            raise ValueError("space- or comma-separated origins such as "
                             "https://crm.example.ru (scheme, host and port only)")
        out.append(f"{parts.scheme}://{parts.netloc.lower()}")
    return tuple(out)


SETTINGS = {
    s.key: s for s in (
        Setting("last-digits", "how many last digits identify a number (1–20)",
                str(DEFAULT_LAST_DIGITS), _int_range(1, 20)),
        Setting("smart-transfer", "answer the PBX's routing lookup with the responsible "
                "employee (on/off)", "on", _on_off),
        Setting("default-country", "country for numbers written without a country code",
                DEFAULT_COUNTRY, _country),
        Setting("retention-days", "how long the journal keeps calls", "365",
                _int_range(1, 36500)),
        Setting("event-retention-hours", "how long a desktop can be away and still get "
                "every missed frame on reconnect", "72", _int_range(1, 24 * 90)),
        Setting("ring-timeout-minutes", "end a call no PBX event has touched for this long "
                "(a lost end event)", "60", _int_range(1, 24 * 60)),
        Setting("outbound-provider", "which configured provider places calls "
                "(default: the one set last)", "", _provider_name),
        Setting("public-url", "the relay's address as PBXs and browsers see it, e.g. "
                "https://relay.example.ru (enrolment links, webhook URLs)", "", _public_url),
        Setting("company-name", "the company's name on the relay's pages (enrolment)", "",
                _label),
        Setting("lookup-order", "whose card wins when the address book and the CRM both "
                "know a number: book,crm or crm,book", "book,crm", _lookup_order),
        Setting("crm-timeout-ms", "how long a PBX's caller lookup waits for the CRM "
                "(milliseconds)", "300", _int_range(50, 10_000)),
        Setting("crm-cache-minutes", "how long the CRM's answers (\"not found\" too) are "
                "reused", "10", _int_range(1, 24 * 60)),
        Setting("cors-origins", "other web origins whose pages may call the API and open "
                "the events socket from a browser (space-separated; empty: only the "
                "relay's own pages)", "", _origins),
        Setting("auth-failure-limit", "failed authentications (webhooks, API, events "
                "socket, enrolment codes) from one address before it gets 429; 0: no limit",
                "10", _int_range(0, 100_000)),
        Setting("auth-failure-window-seconds", "the sliding window those failures are "
                "counted in", "60", _int_range(1, 86_400)),
    )
}


@dataclass(frozen=True, slots=True)
class RuntimeSettings:
    last_digits: int
    smart_transfer: bool
    default_country: str
    retention_days: int
    event_retention_hours: int
    ring_timeout_minutes: int
    outbound_provider: str
    public_url: str
    company_name: str
    lookup_order: str
    crm_timeout_ms: int
    crm_cache_minutes: int
    cors_origins: tuple[str, ...]
    auth_failure_limit: int
    auth_failure_window_seconds: int


def parse_setting(key: str, text: str) -> Any:
    if key not in SETTINGS:
        raise KeyError(f"unknown setting {key!r} (known: {', '.join(SETTINGS)})")
    return SETTINGS[key].parse(text)


async def load(conn: AsyncConnection) -> RuntimeSettings:
    stored = dict((await conn.execute(sa.select(settings.c.key, settings.c.value)))
                  .all())
    values = {}
    for key, spec in SETTINGS.items():
        try:
            values[key.replace("-", "_")] = spec.parse(stored.get(key, spec.default))
        except ValueError:
            values[key.replace("-", "_")] = spec.parse(spec.default)
    return RuntimeSettings(**values)


async def instance_id(conn: AsyncConnection) -> str:
    """A random name of this database (migration 0002): keys kept outside it, such as
    Redis streams, carry it, so a new database never meets an old one's streams."""
    value = (await conn.execute(sa.select(settings.c.value).where(
        settings.c.key == "instance-id"))).scalar_one_or_none()
    return value or "default"


async def store_row(conn: AsyncConnection, key: str, value: str) -> None:
    """Set one row of the settings table (a setting, the version, a status) in one
    statement: on PostgreSQL a transaction that writes the same key meanwhile makes this
    one wait and then update (a DELETE and an INSERT failed it on the key instead)."""
    insert = db.insert(conn, settings).values(key=key, value=value)
    await conn.execute(insert.on_conflict_do_update(
        index_elements=[settings.c.key], set_={"value": insert.excluded.value}))


async def put(conn: AsyncConnection, key: str, text: str) -> None:
    value = parse_setting(key, text)
    await store_row(conn, key, str(value) if isinstance(value, str) else text.strip())
    await changed(conn)


# Running relays cache settings and providers (relay/registry.py). Every change bumps
# this version in the same transaction; on PostgreSQL it also notifies the channel, so
# every replica reloads at once (SQLite relays compare the version on each use).
VERSION_KEY = "config-version"
CHANNEL = "trubka_config"


async def changed(conn: AsyncConnection) -> None:
    """Mark the configuration changed (settings, providers, tokens revoked): on
    PostgreSQL a NOTIFY, on SQLite the store's stamp once the transaction commits."""
    await store_row(conn, VERSION_KEY, uuid.uuid4().hex)
    if conn.dialect.name == "postgresql":
        await conn.execute(sa.select(sa.func.pg_notify(CHANNEL, "")))
    else:
        conn.sync_connection.info[CONFIG_CHANGED] = True  # type: ignore[union-attr]


VERSION_SQL = "SELECT value FROM settings WHERE key = ?"


async def version(conn: AsyncConnection) -> str:
    value = (await conn.execute(sa.select(settings.c.value).where(
        settings.c.key == VERSION_KEY))).scalar_one_or_none()
    return value or ""


async def provider_configs(conn: AsyncConnection) -> list[tuple[str, dict[str, str]]]:
    """Configured providers, the most recently set first."""
    rows = (await conn.execute(sa.select(providers).order_by(providers.c.updated_at.desc())))
    return [(r.name, dict(r.config)) for r in rows.all()]


async def put_provider(conn: AsyncConnection, name: str, config: dict[str, str]) -> None:
    await conn.execute(providers.delete().where(providers.c.name == name))
    await conn.execute(providers.insert().values(name=name, config=config, updated_at=utcnow()))
    await changed(conn)


async def delete_provider(conn: AsyncConnection, name: str) -> bool:
    result = await conn.execute(providers.delete().where(providers.c.name == name))
    await changed(conn)
    return bool(result.rowcount)

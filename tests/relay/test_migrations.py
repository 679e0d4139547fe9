"""The migrations build the schema the code reads and writes (store/schema.py), on each
engine: an index dropped or added on one side only is a difference here, not a surprise
at an operator's first start after an upgrade."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect
from sqlalchemy.engine import Connection

from trubka.relay.store.db import Store
from trubka.relay.store.schema import metadata


def _differences(conn: Connection) -> list[object]:
    return list(compare_metadata(MigrationContext.configure(conn), metadata))


async def test_the_migrated_database_is_the_schema_the_code_uses(store: Store) -> None:
    async with store.engine.connect() as conn:
        differences = await conn.run_sync(_differences)
    assert differences == []


async def test_a_call_s_legs_have_one_index_by_the_pbx_s_call_id(store: Store) -> None:
    """The unique key (provider, provider_call_id, user_id) serves a call's legs by the
    PBX's call id; migration 0008 dropped the index that repeated its first columns."""

    def indexes(conn: Connection) -> dict[str | None, list[str | None]]:
        found = {ix["name"]: list(ix["column_names"]) for ix in inspect(conn).get_indexes("calls")}
        for unique in inspect(conn).get_unique_constraints("calls"):
            found[unique["name"]] = list(unique["column_names"])
        return found

    async with store.engine.connect() as conn:
        found = await conn.run_sync(indexes)
    assert found.get("uq_calls_leg") == ["provider", "provider_call_id", "user_id"]
    assert [name for name, columns in found.items()
            if columns[:2] == ["provider", "provider_call_id"]] == ["uq_calls_leg"]

"""Alembic environment: runs on the connection the relay hands in (any engine).

The relay upgrades its database at start (`store.db.migrate`); for manual use,
`alembic -x url=sqlite:///relay.db upgrade head` from this folder works too.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from trubka.relay.store.schema import metadata

config = context.config


def run() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _migrate(connection)
        return
    url = context.get_x_argument(as_dictionary=True).get("url") or config.get_main_option(
        "sqlalchemy.url"
    )
    if not url:
        raise SystemExit("no database: alembic -x url=sqlite:///relay.db upgrade head")
    engine = create_engine(url)
    with engine.begin() as conn:
        _migrate(conn)


def _migrate(connection) -> None:  # type: ignore[no-untyped-def]
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run()

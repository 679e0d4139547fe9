"""The relay's tables (SQLAlchemy Core). Alembic migrations in `migrations/` create them.

Every lookup path has its index: tokens by hash, users by extension and PBX login,
phone numbers by canonical form and by reversed digits (a last-N-digits match is a
prefix range on the reversed digits), calls by PBX id, journal and event log by user.
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.types import TypeDecorator

metadata = sa.MetaData()


class UtcDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on every engine (SQLite keeps them naive)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(
        self, value: datetime | None, dialect: sa.Dialect
    ) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


users = sa.Table(
    "users",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("ext", sa.String(64), nullable=False, unique=True),
    sa.Column("pbx_user", sa.String(200), nullable=True, index=True),
    sa.Column("created_at", UtcDateTime, nullable=False),
    # the last seq handed out in this user's event log, and the highest one trimmed
    sa.Column("last_seq", sa.BigInteger, nullable=False, server_default="0"),
    sa.Column("trimmed_seq", sa.BigInteger, nullable=False, server_default="0"),
    sa.Column("email", sa.String(300), nullable=True, index=True),
    sa.Column("role", sa.String(16), nullable=False, server_default="user"),  # user | admin
)

tokens = sa.Table(
    "tokens",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"),
              nullable=False, index=True),
    sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.Column("revoked_at", UtcDateTime, nullable=True),
    sa.Column("last_seen_at", UtcDateTime, nullable=True),  # its last socket connect or close
)

# One-time enrolment codes (`users enroll`): only their SHA-256 is kept.
enrollments = sa.Table(
    "enrollments",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"),
              nullable=False, index=True),
    sa.Column("code_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.Column("expires_at", UtcDateTime, nullable=False),
    sa.Column("used_at", UtcDateTime, nullable=True),
    sa.Column("revoke_others", sa.Boolean, nullable=False, server_default=sa.false()),
)

# A user's login at one PBX (a Beeline abonent id, a crm-api login), where it differs
# from the extension; `users.pbx_user` is the default for PBXs without an entry here.
pbx_identities = sa.Table(
    "pbx_identities",
    metadata,
    sa.Column("provider", sa.String(40), primary_key=True),
    sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"),
              primary_key=True),
    sa.Column("login", sa.String(200), nullable=False),
    sa.UniqueConstraint("provider", "login", name="uq_pbx_identities_login"),
)

# Calls of a PBX that sends no call id (Mobilon's IncomingCall): per key (caller and
# callee) the id the relay chose at the first sighting and when the key was last seen;
# a sighting within the PBX's window of the last one is the same call (store/sightings).
call_sightings = sa.Table(
    "call_sightings",
    metadata,
    sa.Column("provider", sa.String(40), primary_key=True),
    sa.Column("key", sa.String(200), primary_key=True),
    sa.Column("call_id", sa.String(240), nullable=False),
    sa.Column("last_seen", sa.Float, nullable=False, index=True),
)

# Browser sign-ins (HttpOnly cookie = the token whose hash is kept) and the single-use
# tickets a browser presents to open the events socket.
sessions = sa.Table(
    "sessions",
    metadata,
    sa.Column("token_hash", sa.String(64), primary_key=True),
    sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"),
              nullable=False, index=True),
    sa.Column("csrf_token", sa.String(64), nullable=False),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.Column("expires_at", UtcDateTime, nullable=False),
    sa.Column("revoked_at", UtcDateTime, nullable=True),
    sa.Column("token_id", sa.Integer, nullable=True),  # the device token it was made from
)

tickets = sa.Table(
    "tickets",
    metadata,
    sa.Column("ticket_hash", sa.String(64), primary_key=True),
    sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"),
              nullable=False),
    sa.Column("session_hash", sa.String(64), nullable=True),
    sa.Column("token_id", sa.Integer, nullable=True),
    sa.Column("expires_at", UtcDateTime, nullable=False, index=True),
    sa.Column("used_at", UtcDateTime, nullable=True),
)

contacts = sa.Table(
    "contacts",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(300), nullable=False),
    sa.Column("company", sa.String(300), nullable=False, server_default=""),
    sa.Column("email", sa.String(300), nullable=False, server_default=""),
    sa.Column("responsible_ext", sa.String(64), nullable=False, server_default=""),
    sa.Column("note", sa.Text, nullable=False, server_default=""),
    sa.Column("crm_url", sa.String(2000), nullable=False, server_default=""),
    sa.Column("search_text", sa.Text, nullable=False, server_default=""),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.Column("updated_at", UtcDateTime, nullable=False),
    sa.Column("last_call_at", UtcDateTime, nullable=True),
)

contact_phones = sa.Table(
    "contact_phones",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("contact_id", sa.Integer, sa.ForeignKey("contacts.id", ondelete="CASCADE"),
              nullable=False, index=True),
    sa.Column("position", sa.Integer, nullable=False, server_default="0"),
    sa.Column("number", sa.String(40), nullable=False, index=True),  # E.164 or digits
    sa.Column("digits_rev", sa.String(40), nullable=False, index=True),
    sa.Column("raw", sa.String(80), nullable=False, server_default=""),
)

calls = sa.Table(
    "calls",
    metadata,
    sa.Column("id", sa.String(32), primary_key=True),
    sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"),
              nullable=False),
    sa.Column("provider", sa.String(40), nullable=False),
    sa.Column("provider_call_id", sa.String(200), nullable=False),
    sa.Column("direction", sa.String(8), nullable=False),
    sa.Column("state", sa.String(24), nullable=False),
    sa.Column("phone", sa.String(40), nullable=False, server_default=""),
    sa.Column("phone_raw", sa.String(80), nullable=False, server_default=""),
    sa.Column("ext", sa.String(64), nullable=False, server_default=""),
    sa.Column("line", sa.String(80), nullable=False, server_default=""),
    sa.Column("contact", sa.JSON, nullable=True),
    sa.Column("started_at", UtcDateTime, nullable=True),
    sa.Column("answered_at", UtcDateTime, nullable=True),
    sa.Column("ended_at", UtcDateTime, nullable=True),
    sa.Column("answered_by", sa.String(200), nullable=False, server_default=""),
    sa.Column("updated_at", UtcDateTime, nullable=False),
    sa.UniqueConstraint("provider", "provider_call_id", "user_id", name="uq_calls_leg"),
    sa.Index("ix_calls_user_state", "user_id", "state"),
    # A call's legs by the PBX's call id: uq_calls_leg, whose first columns they are.
    # The maintenance pass: calls left in progress, finished calls past the retention.
    sa.Index("ix_calls_state_updated", "state", "updated_at"),
)

journal = sa.Table(
    "journal",
    metadata,
    sa.Column("id", sa.String(32), primary_key=True),
    sa.Column("call_id", sa.String(32), sa.ForeignKey("calls.id", ondelete="CASCADE"),
              nullable=False, unique=True),
    sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"),
              nullable=False),
    sa.Column("direction", sa.String(8), nullable=False),
    sa.Column("status", sa.String(24), nullable=False),
    sa.Column("status_final", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("phone", sa.String(40), nullable=False, server_default=""),
    sa.Column("phone_raw", sa.String(80), nullable=False, server_default=""),
    sa.Column("contact", sa.JSON, nullable=True),
    sa.Column("started_at", UtcDateTime, nullable=True),
    sa.Column("duration", sa.Integer, nullable=False, server_default="0"),
    sa.Column("recording_url", sa.String(2000), nullable=False, server_default=""),
    sa.Column("note", sa.Text, nullable=False, server_default=""),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.Index("ix_journal_user_started", "user_id", "started_at"),
    sa.Index("ix_journal_started", "started_at"),  # the retention's trim
    sa.Index("ix_journal_phone", "phone"),  # a new CRM contact's earlier calls
)

events = sa.Table(
    "events",
    metadata,
    sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"),
              primary_key=True),
    sa.Column("seq", sa.BigInteger, primary_key=True),
    sa.Column("created_at", UtcDateTime, nullable=False, index=True),
    sa.Column("frame", sa.Text, nullable=False),
)

settings = sa.Table(
    "settings",
    metadata,
    sa.Column("key", sa.String(64), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
)

providers = sa.Table(
    "providers",
    metadata,
    sa.Column("name", sa.String(40), primary_key=True),
    sa.Column("config", sa.JSON, nullable=False),
    sa.Column("updated_at", UtcDateTime, nullable=False),
)

# -- CRM connectors (relay/crm/) -------------------------------------------------------

# The one configured CRM connector (`crm set NAME`), its options as `crm show` masks them.
crm_config = sa.Table(
    "crm_config",
    metadata,
    sa.Column("name", sa.String(40), primary_key=True),
    sa.Column("config", sa.JSON, nullable=False),
    sa.Column("updated_at", UtcDateTime, nullable=False),
)

# A CRM's answers for a number, "not found" (contact NULL) included, until `expires_at`.
crm_cache = sa.Table(
    "crm_cache",
    metadata,
    sa.Column("connector", sa.String(40), primary_key=True),
    sa.Column("number", sa.String(40), primary_key=True),
    sa.Column("contact", sa.JSON, nullable=True),
    sa.Column("expires_at", UtcDateTime, nullable=False),
)

# The local index of a CRM that is too slow to ask per call (1C): one row per object with
# its version (incremental refresh re-reads only objects whose version changed) ...
crm_objects = sa.Table(
    "crm_objects",
    metadata,
    sa.Column("connector", sa.String(40), primary_key=True),
    sa.Column("entity", sa.String(200), primary_key=True),
    sa.Column("ref", sa.String(64), primary_key=True),
    sa.Column("version", sa.String(200), nullable=False, server_default=""),
    sa.Column("card", sa.JSON, nullable=False),
    sa.Index("ix_crm_objects_ref", "connector", "ref"),
)

# ... and one row per phone number, indexed like the address book's (contact_phones).
crm_phones = sa.Table(
    "crm_phones",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("connector", sa.String(40), nullable=False),
    sa.Column("entity", sa.String(200), nullable=False),
    sa.Column("ref", sa.String(64), nullable=False),
    sa.Column("number", sa.String(40), nullable=False, index=True),
    sa.Column("digits_rev", sa.String(40), nullable=False, index=True),
    sa.Index("ix_crm_phones_owner", "connector", "entity", "ref"),
)

# Calls written back to the CRM: one row per (connector, what, PBX call), claimed in the
# transaction that decided it, so a write happens once across retries and replicas.
crm_writes = sa.Table(
    "crm_writes",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("connector", sa.String(40), nullable=False),
    sa.Column("kind", sa.String(16), nullable=False),  # register | finish | record | call
    sa.Column("provider", sa.String(40), nullable=False),
    sa.Column("provider_call_id", sa.String(200), nullable=False),
    sa.Column("call_id", sa.String(32), nullable=False),
    sa.Column("user_id", sa.Integer, nullable=False),
    sa.Column("state", sa.String(16), nullable=False),  # pending | done | skipped | failed
    sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
    sa.Column("remote_id", sa.String(200), nullable=False, server_default=""),
    sa.Column("error", sa.String(500), nullable=False, server_default=""),
    sa.Column("claimed_at", UtcDateTime, nullable=False),
    sa.Column("updated_at", UtcDateTime, nullable=False),
    sa.UniqueConstraint("connector", "kind", "provider", "provider_call_id",
                        name="uq_crm_writes_call"),
    sa.Index("ix_crm_writes_state", "state", "claimed_at"),
)

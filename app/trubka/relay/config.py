"""The relay's process configuration: CLI > environment > defaults (SPEC §9.1).

Runtime settings that an administrator changes while the relay runs (last digits,
smart transfer, retention, providers) live in the database instead (store/settings.py).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import platformdirs

ENV_PREFIX = "TRUBKA_RELAY_"


class MissingExtra(Exception):
    """An optional dependency the configuration needs is not installed (the Redis client
    for --redis-url, asyncpg for PostgreSQL): one line saying which extra to install."""

    def __init__(self, what: str, package: str, extra: str) -> None:
        super().__init__(f"{what} needs the {package!r} package: "
                         f"pip install 'trubka[{extra}]'")


def default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir("trubka-relay", appauthor=False))


@dataclass(frozen=True)
class RelayConfig:
    data_dir: Path = field(default_factory=default_data_dir)
    database_url: str | None = None
    redis_url: str | None = None
    redis_prefix: str = "trubka"  # key prefix, so several relays can share one Redis
    host: str = "127.0.0.1"
    port: int = 8765
    max_body_bytes: int = 64 * 1024  # a webhook's body
    # A REST request's body (relay/gate.py): the largest contact is well under it.
    max_api_body_bytes: int = 256 * 1024
    # The console's CSV/vCard imports (`/api/v1/admin/…/import`): a company's whole book.
    max_import_body_bytes: int = 32 * 1024 * 1024
    http_timeout: float = 10.0
    maintenance_interval: float = 60.0
    client_queue: int = 1024
    # Installers offered on the enrolment page (default: <data dir>/downloads).
    downloads_dir: Path | None = None

    @classmethod
    def from_env(cls, **overrides: object) -> RelayConfig:
        """Values from TRUBKA_RELAY_* variables, then the given overrides (the CLI's)."""
        env: dict[str, object] = {}
        if value := os.environ.get(ENV_PREFIX + "DATA_DIR"):
            env["data_dir"] = Path(value)
        if value := os.environ.get(ENV_PREFIX + "DATABASE_URL"):
            env["database_url"] = value
        if value := os.environ.get(ENV_PREFIX + "REDIS_URL"):
            env["redis_url"] = value
        if value := os.environ.get(ENV_PREFIX + "REDIS_PREFIX"):
            env["redis_prefix"] = value
        if value := os.environ.get(ENV_PREFIX + "DOWNLOADS_DIR"):
            env["downloads_dir"] = Path(value)
        env.update({k: v for k, v in overrides.items() if v is not None})
        if "data_dir" in env:
            env["data_dir"] = Path(str(env["data_dir"])).expanduser()
        return cls(**env)  # type: ignore[arg-type]

    def __post_init__(self) -> None:
        if self.downloads_dir is None:
            object.__setattr__(self, "downloads_dir", self.data_dir / "downloads")


def check_extras(config: RelayConfig) -> None:
    """Refuse, in one line, a configuration whose optional packages are missing —
    before a server starts, rather than with a traceback from inside it."""
    import importlib.util

    url = (config.database_url or "").lower()
    if url.startswith(("postgresql", "postgres")) and importlib.util.find_spec("asyncpg") is None:
        raise MissingExtra("a postgresql:// database URL", "asyncpg", "scale")
    if config.redis_url and importlib.util.find_spec("redis") is None:
        raise MissingExtra("--redis-url", "redis", "scale")

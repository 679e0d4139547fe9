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
    max_body_bytes: int = 64 * 1024
    http_timeout: float = 10.0
    maintenance_interval: float = 60.0
    client_queue: int = 1024

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
        env.update({k: v for k, v in overrides.items() if v is not None})
        if "data_dir" in env:
            env["data_dir"] = Path(str(env["data_dir"])).expanduser()
        return cls(**env)  # type: ignore[arg-type]

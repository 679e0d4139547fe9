"""`trubka-relay`: run the relay and administer it (SPEC §9.1).

Every command works on the same store the server uses (SQLite in the data dir by
default, PostgreSQL with --database-url), so it can run beside a live relay. The
commands are thin: each calls the admin layer (relay/admin) and prints its result.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Sequence

from trubka.core.errors import TrubkaError
from trubka.relay.config import MissingExtra, RelayConfig, check_extras

__all__ = ["build_parser", "main"]


def build_parser() -> argparse.ArgumentParser:
    from trubka.relay.cli.parser import build_parser as build

    return build()


def main(argv: Sequence[str] | None = None) -> int:
    try:
        parser = build_parser()
    except ModuleNotFoundError as exc:  # installed without the relay's packages
        print(f"trubka-relay: error: the relay needs its packages ({exc.name} is missing): "
              "pip install 'trubka[relay]'", file=sys.stderr)
        return 2
    from trubka.relay.cli.commands import CliError

    args = parser.parse_args(argv)
    from trubka.relay import logfilter

    logfilter.install()  # escapes control characters in every record (logfilter.py)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
                        stream=sys.stderr)
    # httpx logs every request URL at INFO; some PBX APIs put keys in the query string.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    if args.command != "serve":  # administrative commands: their own output only
        logging.getLogger("alembic").setLevel(logging.WARNING)
    config = RelayConfig.from_env(data_dir=args.data_dir, database_url=args.database_url,
                                  redis_url=args.redis_url)
    try:
        check_extras(config)
        if args.command == "serve":
            return _serve(args.host, args.port, args.verbose, config)
        return int(asyncio.run(args.handler(args, config)))
    except (CliError, MissingExtra) as exc:
        parser.exit(2, f"trubka-relay: error: {exc}\n")
    except TrubkaError as exc:  # refused by the admin layer, or by a PBX
        parser.exit(2, f"trubka-relay: error: {exc.message}\n")
    except KeyboardInterrupt:
        return 130


def _serve(host: str, port: int, verbose: bool, config: RelayConfig) -> int:
    from trubka.relay.server import serve

    config = RelayConfig.from_env(**{**config.__dict__, "host": host, "port": port})
    serve(config, "debug" if verbose else "info")
    return 0

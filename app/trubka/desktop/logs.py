"""Logging to a rotating file in the platform's log dir (and stderr with --verbose).
Secrets never reach a log: a filter masks bearer tokens, `token=` values, enrolment
codes (`code=`, `/enroll#…`) and whole `trubka:` links, should any be logged."""

from __future__ import annotations

import logging
import logging.handlers
import os
import re
import sys
from pathlib import Path

from trubka.desktop.settings import log_dir

_SECRET = re.compile(r"(?i)(bearer\s+|token[\"']?[=:]\s*[\"']?|api[-_]key[=:]\s*|"
                     r"code[\"']?[=:]\s*[\"']?|/enroll/?#)[^\s&\"',}]+")
_APP_LINK = re.compile(r"(?i)\btrubka:[^\s\"',]*")


def redact(text: str) -> str:
    text = _APP_LINK.sub("trubka:***", text)
    return _SECRET.sub(lambda m: m.group(1) + "***", text)


class RedactingFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        clean = redact(message)
        if clean != message:
            record.msg, record.args = clean, None
        return True


def setup_logging(verbose: bool = False, directory: Path | None = None) -> Path:
    directory = directory or Path(os.environ.get("TRUBKA_LOG_DIR") or log_dir())
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "trubka.log"
    fmt = logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    handler = logging.handlers.RotatingFileHandler(path, maxBytes=1_000_000, backupCount=5,
                                                   encoding="utf-8")
    handler.setFormatter(fmt)
    handler.addFilter(RedactingFilter())
    root = logging.getLogger()
    root.setLevel(logging.INFO)
    root.addHandler(handler)
    if verbose:
        err = logging.StreamHandler(sys.stderr)
        err.setFormatter(fmt)
        err.addFilter(RedactingFilter())
        root.addHandler(err)
    for noisy in ("httpx", "httpcore", "websockets", "uvicorn", "uvicorn.error"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    return path

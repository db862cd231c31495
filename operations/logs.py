"""Log set-up for the long-running adapters: JSON lines or readable text, secrets redacted.

    setup_logging(settings)    # LOG_FORMAT, LOG_LEVEL; every secret in settings is redacted

With LOG_FORMAT=json each record is one JSON object on one line: `ts`, `level`, `logger`,
`message`, any structured fields the code passed (`platform`, `conversation`, `outcome`, …) and
`error` with the traceback. Text lines carry the same fields as `key=value` after the message.
Whatever writes a record (our code, Bolt, discord.py, aiohttp), a secret's value is replaced by
`[secret]` in the finished line, traceback included: a token never reaches a log.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any, TextIO

from operations.settings import Settings

# Attributes every LogRecord has: anything else on a record came from `extra=` (a field).
_STANDARD = frozenset(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {
    "message", "asctime", "taskName",
}
REDACTED = "[secret]"


def fields(record: logging.LogRecord) -> dict[str, Any]:
    """The structured fields a record carries (what the code passed as `extra`)."""
    return {k: v for k, v in vars(record).items() if k not in _STANDARD and not k.startswith("_")}


class JsonFormatter(logging.Formatter):
    """One JSON object a line."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            **fields(record),
        }
        if record.exc_info:
            line["error"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    """`time LEVEL logger message key=value …`, for people reading a terminal."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s %(message)s")

    def formatMessage(self, record: logging.LogRecord) -> str:
        extra = " ".join(f"{k}={_text(v)}" for k, v in fields(record).items())
        return super().formatMessage(record) + (f" {extra}" if extra else "")


class Redacting(logging.Formatter):
    """Wraps a formatter; replaces each secret's value in the finished line."""

    def __init__(self, inner: logging.Formatter, secrets: Iterable[str]) -> None:
        super().__init__()
        self._inner = inner
        # Longest first, so that a secret containing another is replaced whole.
        self._secrets = sorted({s for s in secrets if len(s) >= 4}, key=len, reverse=True)

    def format(self, record: logging.LogRecord) -> str:
        line = self._inner.format(record)
        for secret in self._secrets:
            line = line.replace(secret, REDACTED)
        return line


def setup_logging(settings: Settings, *, stream: TextIO | None = None) -> logging.Handler:
    """Replace the root logger's handlers with one that writes `settings`' format and level."""
    inner = JsonFormatter() if settings.log_format == "json" else TextFormatter()
    handler = _Handler(stream or sys.stderr)
    handler.setFormatter(Redacting(inner, settings.secrets()))
    root = logging.getLogger()
    for old in [h for h in root.handlers if isinstance(h, _Handler)]:
        root.removeHandler(old)  # ours from an earlier set-up; others' (pytest's) stay
    root.addHandler(handler)
    root.setLevel(settings.log_level)
    # Each aiohttp request at INFO would drown the answers; keep its warnings and errors.
    logging.getLogger("aiohttp.access").setLevel(max(logging.WARNING, root.level))
    return handler


class _Handler(logging.StreamHandler):  # type: ignore[type-arg]
    """The handler `setup_logging` installs (so a second set-up replaces it)."""


def _text(value: Any) -> str:
    text = str(value)
    return json.dumps(text, ensure_ascii=False) if not text or " " in text or '"' in text else text

"""The bot the adapters hold, around whatever engine (or engine double) a test gives."""

from __future__ import annotations

from typing import Any

from operations.live import Bot


def as_bot(engine: Any) -> Bot:
    """`engine` as a `Bot` with its own conversation memory (a `Bot` is passed through)."""
    return engine if isinstance(engine, Bot) else Bot(engine)

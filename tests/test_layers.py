"""Imports go one way: adapters -> bot -> knowledge data. The engine stays pure."""

from __future__ import annotations

import ast
from pathlib import Path

import bot

BOT = Path(bot.__file__).parent
FORBIDDEN = (
    "adapters", "knowledge", "slack_bolt", "slack_sdk", "discord", "aiohttp", "os", "redis"
)


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    names |= {n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    return {name.split(".")[0] for name in names}


def test_the_engine_imports_no_adapter_sdk_or_environment() -> None:
    offenders = {
        path.name: sorted(_imports(path) & set(FORBIDDEN)) for path in BOT.glob("*.py")
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_the_public_names_are_pinned() -> None:
    assert sorted(bot.__all__) == [
        "Answer", "ConfigError", "Engine", "Fact", "Feedback", "FeedbackSink", "KnowledgeBase",
        "KnowledgeError", "MemoryFeedback", "Outcome", "Question", "Source", "Suggestion",
        "SummitBotError", "Vote", "load_knowledge", "parse_knowledge",
    ]

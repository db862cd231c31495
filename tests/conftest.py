"""Shared fixtures: the shipped fact base, one engine per test session, a console chat."""

from __future__ import annotations

from pathlib import Path

import pytest

import knowledge
from adapters.console import ConsoleChat
from bot import Engine, KnowledgeBase, load_knowledge

ROOT = Path(__file__).resolve().parent.parent
ARTICLE = ROOT.parent / "shared" / "seed" / "summit-article.txt"
DEV_EVAL = ROOT.parent / "shared" / "eval" / "dev.jsonl"


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    return load_knowledge(knowledge.DEFAULT)


@pytest.fixture(scope="session")
def engine(kb: KnowledgeBase) -> Engine:
    return Engine(kb)


@pytest.fixture
def chat(engine: Engine, request: pytest.FixtureRequest) -> ConsoleChat:
    """A fresh console conversation (its own key, so follow-ups never leak between tests)."""
    return ConsoleChat(engine, conversation=f"test:{request.node.nodeid}")

"""Shared fixtures: the shipped fact base, one engine per test session, a console chat."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

import knowledge.loader
from adapters.console import ConsoleChat
from bot import Engine, KnowledgeBase
from knowledge.loader import load_knowledge
from operations import engines
from operations.engines import make_engine
from operations.live import Bot
from tests.redis_server import (  # noqa: F401 (fixtures)
    redis_process,
    redis_server,
    redis_url,
    replicas,
)

ROOT = Path(__file__).resolve().parent.parent
ARTICLE = ROOT.parent / "shared" / "seed" / "summit-article.txt"
DEV_EVAL = ROOT.parent / "shared" / "eval" / "dev.jsonl"


@pytest.fixture(scope="session", autouse=True)
def _no_env_file() -> Iterator[None]:
    """Settings read from the environment never pick up a developer's ./.env in a test."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SUMMIT_ENV_FILE", os.devnull)
        yield


@pytest.fixture(autouse=True)
def _question_log_in_a_temp_dir(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Commands under test log questions to a temporary DATA_DIR, never to ./data."""
    monkeypatch.setenv("DATA_DIR", str(tmp_path_factory.getbasetemp() / "data"))
    monkeypatch.delenv("DATABASE_URL", raising=False)


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    return load_knowledge(knowledge.loader.DEFAULT)


@pytest.fixture(scope="session")
def engine(kb: KnowledgeBase) -> Engine:
    """The engine as the commands build it: with the semantic extra (`make test` installs it)."""
    return make_engine(kb)


@pytest.fixture
def chat(engine: Engine, request: pytest.FixtureRequest) -> ConsoleChat:
    """A fresh console conversation (its own key, so follow-ups never leak between tests)."""
    return ConsoleChat(Bot(engine), conversation=f"test:{request.node.nodeid}")


@pytest.fixture
def fresh_loader() -> Iterator[None]:
    """load_embedder reads its settings again (it is cached per process)."""
    engines.load_embedder.cache_clear()
    yield
    engines.load_embedder.cache_clear()

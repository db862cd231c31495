from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot import Engine, MemoryFeedback
from knowledge.loader import load_knowledge, load_language
from tests.fakes.slack_api import FakeSlack
from tests.fakes.slack_workspace import OpenWorkspace, Workspace

MINI_KB = Path(__file__).parents[1] / "fixtures" / "mini_kb.yaml"

@pytest.fixture
def engine() -> Engine:
    return Engine(load_knowledge(MINI_KB), load_language())


@pytest.fixture
def feedback() -> MemoryFeedback:
    return MemoryFeedback()


@pytest.fixture
async def fake() -> AsyncIterator[FakeSlack]:
    async with FakeSlack() as server:
        yield server


@pytest.fixture
def open_workspace(fake: FakeSlack, feedback: MemoryFeedback) -> OpenWorkspace:
    """Serve the app for another engine: `async with open_workspace(engine) as slack:`."""
    return lambda engine: Workspace.open(engine, fake, feedback=feedback)


@pytest.fixture
async def slack(engine: Engine, open_workspace: OpenWorkspace) -> AsyncIterator[Workspace]:
    async with open_workspace(engine) as workspace:
        yield workspace

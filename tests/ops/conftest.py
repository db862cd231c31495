"""Fixtures for the organiser features: a fact base file to edit, settings with a temp DATA_DIR."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from operations.ops_settings import OpsSettings

MINI_KB = Path(__file__).parents[1] / "fixtures" / "mini_kb.yaml"
TRADE = "Trade between the two countries passed 100 billion dollars last year."

EditKb = Callable[[Callable[[str], str]], None]


@pytest.fixture
def kb_file(tmp_path: Path) -> Path:
    """A copy of the mini fact base that the test may edit."""
    path = tmp_path / "kb.yaml"
    path.write_text(MINI_KB.read_text(encoding="utf-8"), encoding="utf-8")
    return path


@pytest.fixture
def edit_kb(kb_file: Path) -> EditKb:
    """`edit_kb(lambda text: text.replace(...))`: save an edited fact base over the file."""

    def edit(change: Callable[[str], str]) -> None:
        kb_file.write_text(change(kb_file.read_text(encoding="utf-8")), encoding="utf-8")

    return edit


@pytest.fixture
def ops_settings(tmp_path: Path) -> OpsSettings:
    return OpsSettings(data_dir=tmp_path / "data", admin_user_ids=frozenset({"U0ADMIN", "42"}))

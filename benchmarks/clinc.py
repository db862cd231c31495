"""CLINC150 (Larson et al., EMNLP 2019): the engine on an intent benchmark it was never tuned on.

    python -m benchmarks.clinc [--k 10,100] [--intents 150] [--draws 8] [--json FILE]

The protocol of ../shared/eval/clinc150/README.md: one fact per intent, its first K training
queries as the phrasings; scored on the validation split (3,000 in-scope, 100 out-of-scope).
In-scope accuracy counts a question answered with its intent's fact ("did you mean" and
abstaining count as wrong); out-of-scope recall counts the out-of-scope questions not
answered. `--intents N` keeps N intents (a fact base of an organiser's size); the questions of
the other intents are then out of scope too.

`--draws N` adds fact bases of an organiser's size, which one split of 3,100 questions cannot
show: N random draws of 25 intents with 5 random training queries each as phrasings, each asked
its intents' validation questions, 150 of other intents' and 50 out-of-scope ones (two in seven
it cannot answer, about as many as in a chat). Figures are pooled over the draws.

Side by side, on the same phrasings: TF-IDF (words and character n-grams) + logistic
regression, and nearest-phrasing cosine over the same MiniLM vectors the engine uses; each
baseline's threshold is chosen on this same split for the engine's out-of-scope recall (in
sample: the best such a baseline could do), and its top-1 (always answering) is shown too.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import time
from pathlib import Path
from typing import Any

from benchmarks.common import ROOT, machine, write_json
from bot import Engine, KnowledgeBase, Question
from knowledge.loader import load_language
from knowledge.types import Event, Fact
from operations.engines import load_embedder

DATA = ROOT.parent / "shared" / "eval" / "clinc150" / "clinc150-train-val.json.gz"
Pairs = list[tuple[str, str]]


DRAW_INTENTS, DRAW_K, DRAW_OTHER, DRAW_OOS = 25, 5, 150, 50


def load() -> dict[str, Pairs]:
    with gzip.open(DATA, "rt", encoding="utf-8") as packed:
        return {k: [(q, i) for q, i in v] for k, v in json.load(packed).items()}


def fact_base(train: Pairs, k: int, intents: set[str]) -> KnowledgeBase:
    """One fact per intent, its first k training queries (in file order) as its phrasings."""
    phrasings: dict[str, list[str]] = {}
    for query, intent in train:
        kept = phrasings.setdefault(intent, [])
        if intent in intents and len(kept) < k and query.strip() and query not in kept:
            kept.append(query.strip())
    facts = tuple(
        Fact(intent, "Intents", tuple(qs), f"Intent {intent.replace('_', ' ')}.", "", (), {},
             n, f"intent {intent}", ())
        for n, (intent, qs) in enumerate(sorted(phrasings.items()), 1)
        if qs
    )
    event = Event(f"CLINC150 (K={k})", "", "Benchmark: one fact per intent.", "the intent list")
    return KnowledgeBase(event, {}, facts, version=f"clinc-{k}-{len(facts)}")


def questions(data: dict[str, Pairs], intents: set[str]) -> Pairs:
    """The validation questions, with 'oos' for out of scope (other intents' too)."""
    inside = [(q, i if i in intents else "oos") for q, i in data["val"]]
    return inside + [(q, "oos") for q, _ in data["oos_val"]]


def engine_run(kb: KnowledgeBase, items: Pairs, *, meaning: bool) -> dict[str, Any]:
    start = time.perf_counter()
    engine = Engine(kb, load_language(), embedder=load_embedder() if meaning else None)
    built = time.perf_counter() - start
    answered: list[str | None] = []
    top: list[str | None] = []
    start = time.perf_counter()
    for n, (q, _) in enumerate(items):
        answered.append(_decision(engine, q, f"clinc:{n}"))
        found = engine.search(q, limit=1)
        top.append(found[0].fact_id if found else None)
    took = (time.perf_counter() - start) / len(items) / 2
    scores = _score(answered, items)
    scores["top1"] = _top1(top, items)
    return {**scores, "answer_at": round(engine.scorer.answer_at, 3), "build_s": round(built, 2),
            "ms_per_question": round(1000 * took, 2)}


def _score(answered: list[str | None], items: Pairs) -> dict[str, float]:
    inside = [(a, i) for a, (_, i) in zip(answered, items, strict=True) if i != "oos"]
    outside = [a for a, (_, i) in zip(answered, items, strict=True) if i == "oos"]
    wrong = sum(a is not None and a != i for a, (_, i) in zip(answered, items, strict=True))
    return {
        "in_scope": round(100 * sum(a == i for a, i in inside) / max(1, len(inside)), 1),
        "oos_recall": round(100 * sum(a is None for a in outside) / max(1, len(outside)), 1),
        "wrong": round(100 * wrong / len(items), 2),
    }


def _top1(top: list[str | None], items: Pairs) -> float:
    inside = [(t, i) for t, (_, i) in zip(top, items, strict=True) if i != "oos"]
    return round(100 * sum(t == i for t, i in inside) / max(1, len(inside)), 1)


def baselines(kb: KnowledgeBase, items: Pairs, oos_recall: float) -> dict[str, dict[str, float]]:
    """TF-IDF + logistic regression, and nearest phrasing by the engine's MiniLM vectors."""
    import numpy as np
    from scipy.sparse import hstack
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    texts = [q for f in kb.facts for q in f.questions]
    labels = [f.id for f in kb.facts for _ in f.questions]
    asked = [q for q, _ in items]
    words = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True)
    chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True)
    x = hstack([words.fit_transform(texts), chars.fit_transform(texts)]).tocsr()
    model = LogisticRegression(C=10, max_iter=2000).fit(x, labels)
    probabilities = model.predict_proba(hstack([words.transform(asked), chars.transform(asked)]))
    out = {"tfidf_lr": _thresholded(
        [model.classes_[j] for j in probabilities.argmax(1)], probabilities.max(1), items,
        oos_recall)}
    embed = load_embedder()
    if embed is not None:
        similarity = embed(asked) @ embed(texts).T
        best = similarity.argmax(1)
        out["minilm_nearest"] = _thresholded(
            [labels[j] for j in best], similarity[np.arange(len(asked)), best], items, oos_recall)
    return out


def _thresholded(predicted: list[str], score: Any, items: Pairs,
                 oos_recall: float) -> dict[str, float]:
    """Top-1, and in-scope accuracy at the lowest threshold reaching `oos_recall` (in sample)."""
    outside = sorted(float(s) for s, (_, i) in zip(score, items, strict=True) if i == "oos")
    held = round(oos_recall / 100 * len(outside))
    threshold = outside[held - 1] + 1e-9 if held > 0 else float("-inf")
    answered = [p if s >= threshold else None for p, s in zip(predicted, score, strict=True)]
    return {**_score(answered, items), "top1": _top1(list(predicted), items)}


def draw(data: dict[str, Pairs], seed: int) -> tuple[KnowledgeBase, Pairs]:
    """An organiser-sized fact base of random intents and phrasings, and its questions."""
    rng = random.Random(seed)
    kept = set(rng.sample(_intents(data), DRAW_INTENTS))
    train = rng.sample(data["train"], len(data["train"]))
    inside = [(q, i) for q, i in data["val"] if i in kept]
    other = rng.sample([(q, "oos") for q, i in data["val"] if i not in kept], DRAW_OTHER)
    oos = rng.sample([(q, "oos") for q, _ in data["oos_val"]], DRAW_OOS)
    return fact_base(train, DRAW_K, kept), inside + other + oos


def draws(count: int, *, meaning: bool) -> dict[str, Any]:
    """The engine on `count` organiser-sized draws; each draw's figures and the pooled ones."""
    data = load()
    language, embedder = load_language(), load_embedder() if meaning else None
    answered: list[str | None] = []
    asked: Pairs = []
    each = []
    for seed in range(count):
        kb, items = draw(data, seed)
        engine = Engine(kb, language, embedder=embedder)
        got = [_decision(engine, q, f"draw{seed}:{n}") for n, (q, _) in enumerate(items)]
        each.append({**_score(got, items), "answer_at": round(engine.scorer.answer_at, 3)})
        answered += got
        asked += items
    return {"draws": count, "intents": DRAW_INTENTS, "k": DRAW_K, "other": DRAW_OTHER,
            "out_of_scope": DRAW_OOS, "questions": len(asked),
            "pooled": _score(answered, asked), "each": each}


def _intents(data: dict[str, Pairs]) -> list[str]:
    return sorted({i for _, i in data["train"] if i != "oos"})


def _decision(engine: Engine, text: str, conversation: str) -> str | None:
    answer = engine.answer(Question(text, platform="bench", conversation=conversation))
    return answer.fact_id if answer.answered else None


def run(k: int, intents: int, seed: int) -> dict[str, Any]:
    data = load()
    every = _intents(data)
    kept = set(random.Random(seed).sample(every, intents)) if intents < len(every) else set(every)
    kb = fact_base(data["train"], k, kept)
    items = questions(data, kept)
    shipped = engine_run(kb, items, meaning=True)
    result = {"k": k, "intents": len(kb.facts), "questions": len(items),
              "engine": shipped, "engine_words": engine_run(kb, items, meaning=False)}
    result["baselines"] = baselines(kb, items, shipped["oos_recall"])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--k", default="10,100", help="phrasings per intent, comma-separated")
    parser.add_argument("--intents", type=int, default=150)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--draws", type=int, default=0, help="organiser-sized draws (0: none)")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    runs = [run(int(k), args.intents, args.seed) for k in args.k.split(",")]
    for r in runs:
        print(f"K={r['k']}, {r['intents']} intents, {r['questions']} questions")
        rows = {"summit-bot": r["engine"], "summit-bot, words only": r["engine_words"],
                **r["baselines"]}
        for name, s in rows.items():
            print(f"  {name:24} in-scope {s['in_scope']:5.1f}%  "
                  f"out-of-scope {s['oos_recall']:5.1f}%  wrong {s['wrong']:5.1f}%  "
                  f"top-1 {s['top1']:5.1f}%")
    result: dict[str, Any] = {"machine": machine(), "runs": runs}
    if args.draws:
        result["draws"] = {"engine": draws(args.draws, meaning=True),
                           "engine_words": draws(args.draws, meaning=False)}
        for name, d in result["draws"].items():
            p = d["pooled"]
            print(f"{d['draws']} draws of {d['intents']} intents, K={d['k']}, {name}: in-scope "
                  f"{p['in_scope']:.1f}%  other {p['oos_recall']:.1f}%  wrong {p['wrong']:.2f}%")
    if args.json:
        write_json(args.json, result)


if __name__ == "__main__":
    main()

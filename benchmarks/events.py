"""Other events than the summit: each fact base of benchmarks/events/ with its own questions.

    python -m benchmarks.events [--seeds N] [--json docs/bench/events.json]

The questions were written before the bot ever answered them and are never tuned on
(benchmarks/events/README.md): run this once per release and report what it prints.

`--seeds N` also refits each fact base with N - 1 other shuffles of the fit's folds (the seed
is the fact base's version) and prints each figure's mean and spread over the N fits: on a
fact base of 70 questions one refit alone moves a figure by 1-2 points, so compare two
versions of the engine by these means, not by one fit.
"""

from __future__ import annotations

import argparse
import statistics
from pathlib import Path
from typing import Any

from benchmarks.common import (
    FIGURES,
    ROOT,
    load_eval,
    machine,
    reshuffled,
    spread,
    write_json,
)
from bot import Engine, Question
from bot.evaluate import Graded, first_offer, report
from knowledge.loader import load_knowledge, load_language
from operations.engines import load_embedder

EVENTS = ROOT / "benchmarks" / "events"


def measure(folder: Path, *, meaning: bool, seed: int = 0) -> dict[str, Any]:
    knowledge = reshuffled(load_knowledge(folder / "facts.yaml"), seed)
    engine = Engine(knowledge, load_language(), embedder=load_embedder() if meaning else None)
    graded = []
    for n, item in enumerate(load_eval(folder / "questions.jsonl")):
        answer = engine.answer(Question(item["q"], platform="bench", conversation=f"ev:{n}"))
        graded.append(Graded(item["q"], item["kind"], item["expect"], answer.answered, answer.text,
                             offered=first_offer(answer, engine.knowledge)))
    result = report(graded)
    return {
        "questions": result.total,
        "answerable": round(100 * result.answerable, 1),
        "abstain": round(100 * result.abstain, 1),
        "wrong": round(100 * result.confident_wrong, 1),
        "offered": round(100 * result.offered, 1),
        "by_kind": result.by_kind,
        "answer_at": round(engine.scorer.answer_at, 3),
    }


def over_seeds(folders: list[Path], count: int, shipped: dict[str, Any]) -> dict[str, Any]:
    """Each event's figures (with meaning) over `count` fits, and their mean over the events;
    the shipped fit (seed 0) is the one `shipped` already measured."""
    each = {}
    for folder in folders:
        runs = [shipped[folder.name]["engine"]]
        runs += [measure(folder, meaning=True, seed=seed) for seed in range(1, count)]
        each[folder.name] = {f: [r[f] for r in runs] for f in FIGURES}
        print(f"{folder.name:26} {count} fits     " + spread(each[folder.name]))
    mean = {f: round(statistics.mean(statistics.mean(e[f]) for e in each.values()), 2)
            for f in FIGURES}
    print(f"{'mean of the events':26} {count} fits     "
          + "  ".join(f"{f} {v:5.2f}" for f, v in mean.items()))
    return {"count": count, "events": each, "mean": mean}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=1, help="fits per fact base (default 1)")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    folders = sorted(p for p in EVENTS.iterdir() if (p / "facts.yaml").exists())
    results = {}
    for folder in folders:
        results[folder.name] = {
            "engine": measure(folder, meaning=True),
            "engine_words": measure(folder, meaning=False),
        }
        for name, r in results[folder.name].items():
            print(f"{folder.name:26} {name:13} answerable {r['answerable']:5.1f}%  "
                  f"abstain {r['abstain']:5.1f}%  wrong {r['wrong']:4.1f}%  ({r['questions']})")
    seeds = over_seeds(folders, args.seeds, results) if args.seeds > 1 else None
    if args.json:
        write_json(args.json, {"machine": machine(), "events": results,
                               **({"seeds": seeds} if seeds else {})})


if __name__ == "__main__":
    main()

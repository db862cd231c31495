"""Other events than the summit: each fact base of benchmarks/events/ with its own questions.

    python -m benchmarks.events [--json docs/bench/events.json]

The questions were written before the bot ever answered them and are never tuned on
(benchmarks/events/README.md): run this once per release and report what it prints.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from benchmarks.common import ROOT, load_eval, machine, write_json
from bot import Engine, Question
from bot.evaluate import Graded, first_offer, report
from knowledge.loader import load_knowledge, load_language
from operations.engines import load_embedder

EVENTS = ROOT / "benchmarks" / "events"


def measure(folder: Path, *, meaning: bool) -> dict[str, Any]:
    engine = Engine(load_knowledge(folder / "facts.yaml"), load_language(),
                    embedder=load_embedder() if meaning else None)
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    results = {}
    for folder in sorted(p for p in EVENTS.iterdir() if (p / "facts.yaml").exists()):
        results[folder.name] = {
            "engine": measure(folder, meaning=True),
            "engine_words": measure(folder, meaning=False),
        }
        for name, r in results[folder.name].items():
            print(f"{folder.name:26} {name:13} answerable {r['answerable']:5.1f}%  "
                  f"abstain {r['abstain']:5.1f}%  wrong {r['wrong']:4.1f}%  ({r['questions']})")
    if args.json:
        write_json(args.json, {"machine": machine(), "events": results})


if __name__ == "__main__":
    main()

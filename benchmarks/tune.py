"""Choose the engine's scoring weights on eval files, and show how sensitive they are.

    python benchmarks/tune.py ../shared/eval/dev.jsonl tests/eval/extra.jsonl [--top 10]

For each combination of scoring weights it scores every question once, then sweeps the
decision thresholds over the saved scores. Ranks by answerable accuracy, among settings within
--min-abstain and --max-wrong. Prints the best settings; it changes nothing: copy a setting
into `bot.index.Tuning` by hand, after checking it on every file. The confidence weights stay
as they are: after changing the scoring weights, refit them with benchmarks/calibrate.py.
"""

from __future__ import annotations

import argparse
import itertools
import json
from dataclasses import replace
from pathlib import Path

import knowledge
from bot import Engine, Outcome, load_knowledge
from bot.decision import decide
from bot.evaluate import is_right
from bot.index import Tuning

SCORING = {
    "unknown_weight": [0.2, 0.3, 0.45],
    "foreign_weight": [1.0, 1.5, 2.0],
    "coverage_share": [0.4, 0.5, 0.6],
    "soft_mismatch": [0.4, 0.7],
    "sparse_mismatch": [0.6, 0.8],
}
DECISION = {
    "answer_at": [0.5, 0.6, 0.7, 0.8],
    "suggest_at": [0.25, 0.3, 0.35],
}


def load(paths: list[Path]) -> list[dict]:
    return [json.loads(line) for p in paths for line in p.read_text().splitlines() if line.strip()]


def grade(items: list[dict], scored: list[list], facts: dict, tune: Tuning) -> tuple:
    right_ans = n_ans = right_abs = n_abs = wrong = 0
    for item, found in zip(items, scored, strict=True):
        outcome, _ = decide(found, tune)
        answered = outcome is Outcome.ANSWERED
        text = facts[found[0].fact_id].answer if answered else ""
        ok = is_right(item["expect"], answered=answered, text=text)
        if item["expect"] == "abstain":
            n_abs += 1
            right_abs += ok
        else:
            n_ans += 1
            right_ans += ok
        wrong += answered and not ok
    return right_ans / n_ans, right_abs / max(n_abs, 1), wrong / len(items)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--top", type=int, default=10)
    parser.add_argument("--min-abstain", type=float, default=0.95)
    parser.add_argument("--max-wrong", type=float, default=0.02)
    args = parser.parse_args()
    kb = load_knowledge(knowledge.DEFAULT)
    facts = {f.id: f for f in kb.facts}
    items = load(args.files)
    results = []
    for values in itertools.product(*SCORING.values()):
        scoring = Tuning(**dict(zip(SCORING, values, strict=True)))
        engine = Engine(kb, tuning=scoring)
        scored = [engine.search(item["q"]) for item in items]
        for d_values in itertools.product(*DECISION.values()):
            tune = replace(scoring, **dict(zip(DECISION, d_values, strict=True)))
            results.append((grade(items, scored, facts, tune), tune))
    ok = [r for r in results if r[0][1] >= args.min_abstain and r[0][2] <= args.max_wrong]
    ok.sort(key=lambda r: (r[0][0], -r[0][2]), reverse=True)
    print(f"{len(results)} settings, {len(ok)} within the abstention and wrong-answer bars")
    print(f"default: {grade(items, [Engine(kb).search(i['q']) for i in items], facts, Tuning())}")
    for (ans, abst, wrong), tune in ok[: args.top]:
        print(f"answerable {ans:.1%} abstain {abst:.1%} wrong {wrong:.1%}  {tune}")


if __name__ == "__main__":
    main()

"""Grading answers against an eval file (`q`, `kind`, `expect`), as `summit-bot eval` does.

`expect` is "abstain", or groups of strings: an answer is right when it answered and every
string of at least one group appears in its text (case-insensitive).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

Expect = str | Sequence[Sequence[str]]


def is_right(expect: Expect, *, answered: bool, text: str) -> bool:
    if expect == "abstain":
        return not answered
    folded = text.casefold()
    return answered and any(all(s.casefold() in folded for s in group) for group in expect)


@dataclass(frozen=True, slots=True)
class Graded:
    question: str
    kind: str
    expect: Expect
    answered: bool
    text: str

    @property
    def right(self) -> bool:
        return is_right(self.expect, answered=self.answered, text=self.text)

    @property
    def must_abstain(self) -> bool:
        return self.expect == "abstain"


@dataclass(frozen=True, slots=True)
class Report:
    total: int
    answerable: float  # share of answerable questions answered right
    abstain: float  # share of must-abstain questions left unanswered
    confident_wrong: float  # answered but wrong, over all questions
    by_kind: dict[str, tuple[int, int]] = field(default_factory=dict)  # kind -> (right, total)
    failures: tuple[Graded, ...] = ()


def report(graded: Iterable[Graded]) -> Report:
    items = list(graded)
    answerable = [g for g in items if not g.must_abstain]
    abstain = [g for g in items if g.must_abstain]
    by_kind: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for g in items:
        by_kind[g.kind][0] += g.right
        by_kind[g.kind][1] += 1
    wrong = sum(1 for g in items if g.answered and not g.right)
    return Report(
        total=len(items),
        answerable=_share(sum(g.right for g in answerable), len(answerable)),
        abstain=_share(sum(g.right for g in abstain), len(abstain)),
        confident_wrong=_share(wrong, len(items)),
        by_kind={k: (v[0], v[1]) for k, v in sorted(by_kind.items())},
        failures=tuple(g for g in items if not g.right),
    )


def _share(part: int, whole: int) -> float:
    return part / whole if whole else 1.0

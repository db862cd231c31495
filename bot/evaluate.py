"""Grading answers against an eval file (`q`, `kind`, `expect`), as `summit-bot eval` does.

    item = parse_item(json.loads(line), line=7, fact_ids={f.id for f in kb.facts})
    graded = Graded(item.question, item.kind, item.expect, answer.answered, answer.text,
                    fact_id=answer.fact_id, offered=first_offer(answer, kb))

`expect` says what a right answer is:
- a fact id (`"winner"`), or a list of them (`["winner", "prize"]`): answered by that fact, or
  by any of them;
- `"abstain"`: not answered (no fact, or only "did you mean");
- groups of words (`[["guest of honour"], ["guest of honor"]]`): answered, and every string of
  at least one group appears in the answer's text (case-insensitive).
Anything else is an `EvalFileError` naming the line: a string is never graded letter by letter.
"""

from __future__ import annotations

import difflib
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field

from bot.errors import EvalFileError
from bot.types import Answer
from knowledge.types import KnowledgeBase

ABSTAIN = "abstain"


@dataclass(frozen=True, slots=True)
class Facts:
    """An expectation by fact id: right when one of these facts answers."""

    ids: tuple[str, ...]

    def __str__(self) -> str:
        return " or ".join(self.ids)


Expect = str | Sequence[Sequence[str]] | Facts


def is_right(expect: Expect, *, answered: bool, text: str, fact_id: str | None = None) -> bool:
    if isinstance(expect, Facts):
        return answered and fact_id in expect.ids
    if expect == ABSTAIN:
        return not answered
    folded = text.casefold()
    return answered and any(all(s.casefold() in folded for s in group) for group in expect)


@dataclass(frozen=True, slots=True)
class Item:
    """One line of an eval file, checked."""

    question: str
    kind: str
    expect: Expect


def parse_item(value: object, *, line: int, fact_ids: Collection[str]) -> Item:
    """One decoded JSON line as an `Item`; an `EvalFileError` naming the line otherwise."""
    if not isinstance(value, dict):
        raise EvalFileError(f'line {line}: expected an object like {{"q": ..., "expect": ...}}')
    question, kind = value.get("q"), value.get("kind", "?")
    if not isinstance(question, str) or not question.strip():
        raise EvalFileError(f'line {line}: "q" must be the question, a non-empty string')
    if not isinstance(kind, str):
        raise EvalFileError(f'line {line}: "kind" must be a string')
    if "expect" not in value:
        raise EvalFileError(
            f'line {line}: no "expect" (a fact id, a list of them, "abstain" or groups of words)'
        )
    return Item(question, kind, parse_expect(value["expect"], line=line, fact_ids=fact_ids))


def parse_expect(value: object, *, line: int, fact_ids: Collection[str]) -> Expect:
    """`expect` as decoded from JSON, checked against the fact base's ids (see the module)."""
    if isinstance(value, str):
        return ABSTAIN if value == ABSTAIN else Facts((_fact_id(value, line, fact_ids),))
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        if any(v in fact_ids or _close(v, fact_ids) for v in value):  # else: words, unwrapped
            return Facts(tuple(_fact_id(v, line, fact_ids) for v in value))
    elif isinstance(value, list) and value and all(_is_group(v) for v in value):
        return tuple(tuple(group) for group in value)
    raise EvalFileError(
        f'line {line}: expect must be a fact id, a list of fact ids, "abstain" or groups of '
        f'words like [["word", "other word"]], not {_shown(value)}'
    )


def _fact_id(value: str, line: int, fact_ids: Collection[str]) -> str:
    if value in fact_ids:
        return value
    if value == ABSTAIN:
        raise EvalFileError(f'line {line}: write "abstain" on its own, not in a list')
    close = _close(value, fact_ids)
    guess = f'; did you mean "{close}"?' if close else ""
    raise EvalFileError(f'line {line}: expect "{value[:60]}" is not a fact id{guess}')


def _close(value: str, fact_ids: Collection[str]) -> str | None:
    found = difflib.get_close_matches(value, [*fact_ids, ABSTAIN], n=1, cutoff=0.6)
    return found[0] if found else None


def _is_group(value: object) -> bool:
    return (
        isinstance(value, list)
        and bool(value)
        and all(isinstance(s, str) and s.strip() for s in value)
    )


def _shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def first_offer(answer: Answer, knowledge: KnowledgeBase) -> tuple[str, str] | None:
    """The first fact an unanswered reply offers ("did you mean"): its id and its answer."""
    if answer.answered or not answer.suggestions:
        return None
    fact = knowledge.fact(answer.suggestions[0].fact_id)
    return (fact.id, fact.answer) if fact else None


@dataclass(frozen=True, slots=True)
class Graded:
    question: str
    kind: str
    expect: Expect
    answered: bool
    text: str
    fact_id: str | None = None  # the fact that answered, if one did
    offered: tuple[str, str] | None = None  # the first "did you mean": (fact id, its answer)

    @property
    def right(self) -> bool:
        return is_right(self.expect, answered=self.answered, text=self.text, fact_id=self.fact_id)

    @property
    def offered_right(self) -> bool:
        """Not answered, but the first fact offered ("did you mean") is a right answer."""
        if self.answered or self.offered is None or self.must_abstain:
            return False
        fact_id, text = self.offered
        return is_right(self.expect, answered=True, text=text, fact_id=fact_id)

    @property
    def must_abstain(self) -> bool:
        return self.expect == ABSTAIN

    @property
    def expected(self) -> str | None:
        """The fact ids it expects ("a or b"), "abstain", or None for groups of words."""
        if isinstance(self.expect, Facts):
            return str(self.expect)
        return ABSTAIN if self.must_abstain else None


def confusions(graded: Iterable[Graded]) -> list[tuple[str, str, int]]:
    """(expected, answered fact, how many) for the answers that went to a wrong fact, most
    first: expected is the fact ids ("a or b") or "abstain"; groups of words name no fact."""
    crossed = Counter(
        (g.expected, g.fact_id)
        for g in graded
        if g.answered and g.fact_id and g.expected and not g.right
    )
    return [(e, a, n) for (e, a), n in sorted(crossed.items(), key=lambda x: (-x[1], x[0]))]


@dataclass(frozen=True, slots=True)
class Report:
    total: int
    answerable: float  # share of answerable questions answered right
    abstain: float  # share of must-abstain questions left unanswered
    confident_wrong: float  # answered but wrong, over all questions
    offered: float = 0.0  # share of answerable questions not answered but offered first
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
        offered=_share(sum(g.offered_right for g in answerable), len(answerable)),
        by_kind={k: (v[0], v[1]) for k, v in sorted(by_kind.items())},
        failures=tuple(g for g in items if not g.right),
    )


def _share(part: int, whole: int) -> float:
    return part / whole if whole else 1.0

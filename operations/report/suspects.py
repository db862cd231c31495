"""The report's "may be wrong" rows: answers the log gives a reason to doubt.

    rows = suspects(store.questions(since=...), engine.search)
    rows[0].question, rows[0].fact_id, rows[0].why, rows[0].detail

Four reasons, each a pure function over the logged questions (oldest first or not):
- `close_calls`: the answering fact was only a little ahead of the next one, as logged with
  the answer (its runner-up and lead). A row logged before those were kept is asked again of
  `search` (the current fact base); it counts only while the same fact still comes first.
- `rephrased`: the same person asked again, in other words, within a minute of the answer;
  not when the next question is plainly about something else (near other facts only).
- `voted_down`: the answer got a 👎.
- `other_picks`: from "did you mean", the person picked another fact than the first offered.
Texts are as logged: the renderer escapes them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum
from itertools import pairwise

from bot import Vote
from bot.matching.decision import near
from bot.matching.match import Match, Tuning
from operations import messages
from operations.questionlog import LoggedQuestion

SMALL_LEAD = 0.15  # of the ranker's score, between the answering fact and the next one
REPHRASE_WITHIN = timedelta(seconds=60)
ANSWERED, SUGGESTED, COMMAND = "answered", "did_you_mean", "command"

Search = Callable[[str], Sequence[Match]]


class Why(StrEnum):
    """The reasons, the surest sign of a wrong answer first."""

    VOTED_DOWN = "voted down"
    OTHER_PICK = "picked another"
    REPHRASED = "asked again"
    CLOSE_CALL = "close call"


@dataclass(frozen=True, slots=True)
class Suspect:
    """An answer that may be wrong: the question, the fact that answered it, and why."""

    question: str
    fact_id: str
    why: Why
    detail: str  # the reason in words, for the organiser
    count: int = 1  # how many times the same question got the same fact for the same reason


def suspects(
    rows: Sequence[LoggedQuestion],
    search: Search,
    *,
    lead: float = SMALL_LEAD,
    within: timedelta = REPHRASE_WITHIN,
    tuning: Tuning | None = None,
) -> list[Suspect]:
    """Every reason's rows, repeats counted once: the most repeated first, then by reason."""
    found = [
        *voted_down(rows),
        *other_picks(rows),
        *rephrased(rows, search, within=within, tuning=tuning),
        *close_calls(rows, search, lead=lead),
    ]
    counts = Counter((s.question, s.fact_id, s.why) for s in found)
    first = {(s.question, s.fact_id, s.why): s for s in reversed(found)}
    merged = [Suspect(q, f, w, first[(q, f, w)].detail, n) for (q, f, w), n in counts.items()]
    order = list(Why)
    return sorted(merged, key=lambda s: (-s.count, order.index(s.why), s.question))


def close_calls(
    rows: Iterable[LoggedQuestion], search: Search, *, lead: float = SMALL_LEAD
) -> Iterator[Suspect]:
    for row in rows:
        if not (_answered(row) and row.fact_id) or _is_pick(row):
            continue
        ahead, second = _runner_up(row, search)
        if second is not None and ahead < lead:
            detail = messages.SUSPECT_CLOSE.format(lead=ahead, second=second)
            yield Suspect(row.text, row.fact_id, Why.CLOSE_CALL, detail)


def _runner_up(row: LoggedQuestion, search: Search) -> tuple[float, str | None]:
    """How far the answer was ahead of which fact: as logged, else as `search` finds now."""
    if row.runner_up is not None and row.lead is not None:
        return row.lead, row.runner_up
    found = search(row.text)
    if len(found) < 2 or found[0].fact_id != row.fact_id:
        return 0.0, None
    return found[0].score - found[1].score, found[1].fact_id


def rephrased(
    rows: Iterable[LoggedQuestion],
    search: Search,
    *,
    within: timedelta = REPHRASE_WITHIN,
    tuning: Tuning | None = None,
) -> Iterator[Suspect]:
    """An answer, then the same person's next question in that conversation, soon after:
    not a command, a pick, the same words again, or a question near other facts only."""
    for row, after in _next_in_conversation(rows, by_person=True):
        if not (_answered(row) and row.fact_id) or _is_pick(row):
            continue
        if after.outcome == COMMAND or _is_pick(after) or _same_words(row.text, after.text):
            continue
        seconds = (after.asked_at - row.asked_at).total_seconds()
        if seconds > within.total_seconds():
            continue
        if not _elsewhere(row, after.text, search, tuning or Tuning()):
            detail = messages.SUSPECT_REPHRASED.format(seconds=round(seconds), asked=after.text)
            yield Suspect(row.text, row.fact_id, Why.REPHRASED, detail)


def voted_down(rows: Iterable[LoggedQuestion]) -> Iterator[Suspect]:
    for row in rows:
        if row.feedback is Vote.DOWN and row.fact_id:
            yield Suspect(row.text, row.fact_id, Why.VOTED_DOWN, messages.SUSPECT_VOTED_DOWN)


def other_picks(rows: Iterable[LoggedQuestion]) -> Iterator[Suspect]:
    """A "did you mean", then a pick in the same conversation of a fact it offered, not first:
    the question is the one asked, the fact the one picked."""
    for offer, pick in _next_in_conversation(rows, by_person=False):
        if offer.outcome != SUGGESTED or not offer.suggestions or not _is_pick(pick):
            continue
        if pick.fact_id in offer.suggestions[1:]:
            detail = messages.SUSPECT_OTHER_PICK.format(first=offer.suggestions[0])
            yield Suspect(offer.text, pick.fact_id, Why.OTHER_PICK, detail)


def _next_in_conversation(
    rows: Iterable[LoggedQuestion], *, by_person: bool
) -> Iterator[tuple[LoggedQuestion, LoggedQuestion]]:
    """Each row with the next one in its conversation (and from the same person)."""
    threads: dict[tuple[str, ...], list[LoggedQuestion]] = {}
    for row in sorted(rows, key=lambda r: r.asked_at):
        key = (row.platform, row.conversation, row.user if by_person else "")
        threads.setdefault(key, []).append(row)
    for thread in threads.values():
        yield from pairwise(thread)


def _answered(row: LoggedQuestion) -> bool:
    return row.outcome == ANSWERED and bool(row.text.strip())


def _is_pick(row: LoggedQuestion) -> bool:
    """A fact picked, not asked for: a button (no text) or a suggestion's number."""
    text = row.text.strip()
    return row.outcome == ANSWERED and bool(row.fact_id) and (not text or text.isdigit())


def _elsewhere(row: LoggedQuestion, then: str, search: Search, tuning: Tuning) -> bool:
    """The next question is near facts (as "did you mean" counts near), and none that the
    answered one was near: 'is there food at the finish?' after 'how fast was the women's
    winner?' is a new question. One near nothing ('no, the other one') may be the same again."""
    before = {m.fact_id for m in search(row.text) if near(m, tuning)} | {row.fact_id}
    now = {m.fact_id for m in search(then) if near(m, tuning)}
    return bool(now) and now.isdisjoint(before)


def _same_words(a: str, b: str) -> bool:
    return a.casefold().split() == b.casefold().split()

"""The report's "may be wrong" rows (adapters/report/suspects.py), from hand-built log rows."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from bot import Question, Vote
from bot.matching.match import Match
from knowledge.loader import load_knowledge
from operations.engines import make_engine
from operations.questionlog import LoggedQuestion
from operations.report.suspects import (
    Search,
    Suspect,
    Why,
    close_calls,
    other_picks,
    rephrased,
    suspects,
    voted_down,
)
from tests.ops.conftest import MINI_KB

T0 = datetime(2025, 6, 18, 9, 0, tzinfo=UTC)


def row(text: str, outcome: str = "answered", *, fact: str | None = None, at: float = 0,
        user: str = "u1", conversation: str = "c1", vote: Vote | None = None,
        suggestions: tuple[str, ...] = ()) -> LoggedQuestion:
    """A logged question `at` seconds after T0."""
    return LoggedQuestion(
        id=uuid.uuid4().hex, asked_at=T0 + timedelta(seconds=at), platform="slack",
        conversation=conversation, user=user, text=text, outcome=outcome, fact_id=fact,
        confidence=0.9 if fact else 0.0, kb_version="v1", suggestions=suggestions, feedback=vote)


def _search(scores: dict[str, list[tuple[str, float]]]) -> Search:
    def search(text: str) -> Sequence[Match]:
        return [Match(fact, score) for fact, score in scores.get(text, [])]
    return search


def _seen(found: Iterable[Suspect]) -> list[tuple[str, str, Why]]:
    return [(s.question, s.fact_id, s.why) for s in found]


def test_a_small_lead_over_the_next_fact_is_a_close_call() -> None:
    search = _search({
        "who won?": [("men_winner", 0.52), ("women_winner", 0.47)],
        "who won the men's race?": [("men_winner", 0.9), ("women_winner", 0.2)],
        "how many ran?": [("charity", 0.6), ("runners", 0.58)],  # now another fact first
        "what is the route?": [("course", 0.4)],  # no second fact
    })
    rows = [row("who won?", fact="men_winner"), row("who won the men's race?", fact="men_winner"),
            row("how many ran?", fact="runners"), row("what is the route?", fact="course"),
            row("who won?", "did_you_mean", suggestions=("men_winner", "women_winner")),
            row("2", fact="women_winner")]
    found = list(close_calls(rows, search))
    assert _seen(found) == [("who won?", "men_winner", Why.CLOSE_CALL)]
    assert found[0].detail == "only 0.05 ahead of women_winner"


def test_the_same_persons_next_question_within_a_minute_is_a_rephrasing() -> None:
    rows = [
        row("who won?", fact="men_winner", at=0),
        row("who won the women's race?", fact="women_winner", at=20),  # asked again: suspect
        row("what was the weather?", fact="weather", at=200),
        row("and the course?", fact="course", at=290),  # 90 s later: a new question
        row("how many runners?", fact="runners", at=400),
        row("source", "command", at=410),  # a command, not a rephrasing
        row("prize money?", fact="prize", at=500),
        row("someone else asks", "abstained", at=510, user="u2"),  # another person
        row("who won?", fact="men_winner", at=600, conversation="c2"),
        row("Who won? ", fact="men_winner", at=605, conversation="c2"),  # the same words again
    ]
    found = list(rephrased(rows, _search({})))
    assert _seen(found) == [("who won?", "men_winner", Why.REPHRASED)]
    assert found[0].detail == '20 s later: "who won the women\'s race?"'


def test_a_next_question_near_other_facts_only_is_a_new_question() -> None:
    search = _search({
        "how fast was she?": [("women_winner", 0.8), ("men_winner", 0.4)],
        "is there food at the finish?": [("course", 0.9), ("water", 0.2)],
        "and the man?": [("men_winner", 0.9)],  # near a fact the first was near too
        "who won?": [("men_winner", 0.5), ("women_winner", 0.45)],
        "who won the women's race?": [("women_winner", 0.95)],
    })
    rows = [
        row("how fast was she?", fact="women_winner", at=0),
        row("is there food at the finish?", "did_you_mean", at=5),  # about the course: new
        row("how fast was she?", fact="women_winner", at=0, conversation="c2"),
        row("and the man?", fact="men_winner", at=5, conversation="c2"),
        row("how fast was she?", fact="women_winner", at=0, conversation="c3"),
        row("no, not that", "abstained", at=5, conversation="c3"),  # near nothing: may be
        row("who won?", fact="men_winner", at=0, conversation="c4"),
        row("who won the women's race?", fact="women_winner", at=5, conversation="c4"),
    ]
    assert _seen(rephrased(rows, search)) == [
        ("how fast was she?", "women_winner", Why.REPHRASED),
        ("how fast was she?", "women_winner", Why.REPHRASED),
        ("who won?", "men_winner", Why.REPHRASED),
    ]


def test_an_answer_voted_down() -> None:
    rows = [row("who won?", fact="men_winner", vote=Vote.DOWN),
            row("who won it?", fact="men_winner", vote=Vote.UP),
            row("pandas?", "abstained")]
    assert _seen(voted_down(rows)) == [("who won?", "men_winner", Why.VOTED_DOWN)]


def test_a_did_you_mean_pick_of_another_fact_than_the_first() -> None:
    offered = ("men_winner", "women_winner", "prize")
    rows = [
        row("who won?", "did_you_mean", suggestions=offered, at=0),
        row("2", fact="women_winner", at=5),  # by number: not the first offered
        row("fastest?", "did_you_mean", suggestions=offered, at=0, conversation="c2"),
        row("", fact="men_winner", at=4, conversation="c2"),  # a button: the first, fine
        row("winner?", "did_you_mean", suggestions=offered, at=0, conversation="c3"),
        row("", fact="prize", at=9, conversation="c3", user="u2"),  # a button, someone else's
        row("prize?", "did_you_mean", suggestions=offered, at=0, conversation="c4"),
        row("how much prize money", fact="prize", at=9, conversation="c4"),  # asked, not picked
    ]
    found = list(other_picks(rows))
    assert _seen(found) == [("who won?", "women_winner", Why.OTHER_PICK),
                            ("winner?", "prize", Why.OTHER_PICK)]
    assert found[0].detail == 'picked from "did you mean" instead of the first offered, men_winner'


def test_all_reasons_together_repeats_counted_once_most_first() -> None:
    search = _search({"who won?": [("men_winner", 0.5), ("women_winner", 0.45)]})
    rows = [row("who won?", fact="men_winner", at=n * 100, vote=Vote.DOWN) for n in range(3)]
    rows.append(row("women's winner?", fact="women_winner", at=210))
    found = suspects(rows, search)
    assert [(s.why, s.count) for s in found] == [
        (Why.VOTED_DOWN, 3), (Why.CLOSE_CALL, 3), (Why.REPHRASED, 1)
    ]
    assert all(isinstance(s, Suspect) and s.question == "who won?" for s in found)


def test_a_close_call_is_read_from_the_log_when_it_kept_the_runner_up() -> None:
    """As the answer was given, whatever the fact base finds now: no search needed."""
    logged = [
        replace(row("who won?", fact="men_winner"), runner_up="women_winner", lead=0.04),
        replace(row("who won it?", fact="men_winner"), runner_up="women_winner", lead=0.6),
    ]
    found = list(close_calls(logged, _search({"who won it?": [("men_winner", 0.5),
                                                               ("women_winner", 0.49)]})))
    assert _seen(found) == [("who won?", "men_winner", Why.CLOSE_CALL)]
    assert found[0].detail == "only 0.04 ahead of women_winner"


def test_close_calls_read_the_real_engines_scores() -> None:
    engine = make_engine(load_knowledge(MINI_KB))
    asked = "How much trade is there between Russia and China?"
    answer = engine.answer(Question(asked, conversation="suspects"))
    assert answer.fact_id == "trade_volume"
    rows = [row(asked, fact="trade_volume")]
    best, second = engine.search(asked)[:2]
    ahead = best.score - second.score
    assert (answer.runner_up, answer.lead) == (second.fact_id, round(ahead, 3))
    assert list(close_calls(rows, engine.search, lead=ahead - 0.001)) == []
    assert _seen(close_calls(rows, engine.search, lead=ahead + 0.001)) == [
        (asked, "trade_volume", Why.CLOSE_CALL)
    ]


"""Eval files that say what they mean (bot/evaluate.py): fact ids, "abstain", groups of words."""

from __future__ import annotations

import json

import pytest

from bot import KnowledgeBase
from bot.errors import EvalFileError
from bot.evaluate import ABSTAIN, Facts, Graded, confusions, parse_expect, parse_item, report
from tests.conftest import DEV_EVAL

IDS = frozenset({"men_winner", "women_winner", "runners", "prize"})


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("men_winner", Facts(("men_winner",))),
        (["men_winner", "women_winner"], Facts(("men_winner", "women_winner"))),
        ("abstain", ABSTAIN),
        ([["Okoro", "2 hours"], ["Daniel"]], (("Okoro", "2 hours"), ("Daniel",))),
        ([["men_winner"]], (("men_winner",),)),  # a group of words, even when it is an id
    ],
)
def test_what_expect_may_be(value: object, expected: object) -> None:
    assert parse_expect(value, line=1, fact_ids=IDS) == expected


@pytest.mark.parametrize(
    ("value", "error"),
    [
        ("men_winer", 'line 7: expect "men_winer" is not a fact id; did you mean "men_winner"?'),
        ("abstian", 'line 7: expect "abstian" is not a fact id; did you mean "abstain"?'),
        (["runners", "prizes"], 'line 7: expect "prizes" is not a fact id; did you mean "prize"?'),
        ("Okoro won", 'line 7: expect "Okoro won" is not a fact id'),
        (["abstain"], 'line 7: write "abstain" on its own, not in a list'),
        (["Okoro", "2 hours"], "line 7: expect must be a fact id, a list of fact ids,"),
        ([], "line 7: expect must be"),
        ([[]], "line 7: expect must be"),
        ([["Okoro", 3]], "line 7: expect must be"),
        ([["Okoro"], "men_winner"], "line 7: expect must be"),
        (5, "line 7: expect must be a fact id, a list of fact ids, \"abstain\" or groups of words"),
        (None, "line 7: expect must be"),
        ({"fact": "men_winner"}, "line 7: expect must be"),
    ],
)
def test_anything_else_is_one_line_naming_the_line(value: object, error: str) -> None:
    with pytest.raises(EvalFileError) as caught:
        parse_expect(value, line=7, fact_ids=IDS)
    message = str(caught.value)
    assert message.startswith(error)
    assert "\n" not in message and len(message) < 200


@pytest.mark.parametrize(
    ("value", "error"),
    [
        ([1, 2], "line 3: expected an object"),
        ({"expect": "abstain"}, 'line 3: "q" must be the question'),
        ({"q": " ", "expect": "abstain"}, 'line 3: "q" must be the question'),
        ({"q": "who won?", "kind": 1, "expect": "abstain"}, 'line 3: "kind" must be a string'),
        ({"q": "who won?"}, 'line 3: no "expect"'),
    ],
)
def test_a_line_must_be_a_question_with_an_expectation(value: object, error: str) -> None:
    with pytest.raises(EvalFileError, match=f"^{error}"):
        parse_item(value, line=3, fact_ids=IDS)


def test_a_line_parsed() -> None:
    item = parse_item({"q": "who won?", "expect": "men_winner"}, line=1, fact_ids=IDS)
    assert (item.question, item.kind, item.expect) == ("who won?", "?", Facts(("men_winner",)))


def test_a_fact_id_is_right_only_when_that_fact_answers() -> None:
    expect = Facts(("men_winner", "women_winner"))
    text = "men_winner women_winner"  # the text never decides a fact-id expectation

    def graded(answered: bool, fact_id: str | None) -> Graded:
        return Graded("who won?", "plain", expect, answered, text, fact_id=fact_id)

    assert graded(True, "women_winner").right
    assert not graded(True, "runners").right
    assert not graded(False, None).right
    assert not graded(True, None).right
    assert graded(True, "runners").expected == "men_winner or women_winner"


def test_an_unanswered_question_is_offered_right_when_the_first_suggestion_answers_it() -> None:
    offered = [
        Graded("q1", "plain", [["Okoro"]], False, "Did you mean ...", offered=("w", "Okoro won")),
        Graded("q2", "plain", [["Okoro"]], False, "Did you mean ...", offered=("m", "Berg won")),
        Graded("q3", "plain", Facts(("w",)), False, "Did you mean ...", offered=("w", "")),
        Graded("q4", "plain", [["Okoro"]], True, "Okoro won", offered=None),
        Graded("q5", "none", ABSTAIN, False, "Did you mean ...", offered=("w", "Okoro won")),
    ]
    assert [g.offered_right for g in offered] == [True, False, True, False, False]
    assert report(offered).offered == pytest.approx(2 / 4)  # of the answerable questions


def test_confusions_name_the_expected_and_the_answered_fact() -> None:
    rows = [
        Graded("q1", "plain", Facts(("men_winner",)), True, "", fact_id="women_winner"),
        Graded("q2", "plain", Facts(("men_winner",)), True, "", fact_id="women_winner"),
        Graded("q3", "plain", Facts(("runners",)), True, "", fact_id="prize"),
        Graded("q4", "plain", Facts(("runners",)), True, "", fact_id="runners"),
        Graded("q5", "plain", Facts(("runners",)), False, "", fact_id=None),
        Graded("q6", "none", ABSTAIN, True, "", fact_id="prize"),
        Graded("q7", "plain", [["Okoro"]], True, "Lindqvist", fact_id="women_winner"),
    ]
    assert confusions(rows) == [
        ("men_winner", "women_winner", 2), ("abstain", "prize", 1), ("runners", "prize", 1)
    ]
    result = report(rows)
    assert result.confident_wrong == pytest.approx(5 / 7)
    assert result.answerable == pytest.approx(1 / 6)


@pytest.mark.skipif(not DEV_EVAL.exists(), reason="no ../shared/eval/dev.jsonl beside the checkout")
def test_the_dev_file_reads_and_grades_as_before(kb: KnowledgeBase) -> None:
    ids = {f.id for f in kb.facts}
    for number, line in enumerate(DEV_EVAL.read_text(encoding="utf-8").splitlines(), 1):
        raw = json.loads(line)
        item = parse_item(raw, line=number, fact_ids=ids)
        for text in ("", raw["q"], " ".join(w for g in item.expect for w in g)):
            for answered in (True, False):
                before = Graded(raw["q"], raw["kind"], raw["expect"], answered, text)
                after = Graded(item.question, item.kind, item.expect, answered, text)
                assert (before.right, before.must_abstain) == (after.right, after.must_abstain)

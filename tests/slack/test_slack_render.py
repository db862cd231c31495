"""Answers as Block Kit: limits, escaping and buttons (pure functions, no app)."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from adapters import messages as ui
from adapters.slack.render import (
    BLOCK_LIMIT,
    ELLIPSIS,
    LABEL_LIMIT,
    SECTION_LIMIT,
    TEXT_LIMIT,
    VALUE_LIMIT,
    Block,
    decode_value,
    encode_value,
    render,
    split,
    trim,
)
from bot import Answer, Outcome, Source, Suggestion, messages

ANSWER = Answer(
    Outcome.ANSWERED,
    "Two giant pandas & a <zoo>.",
    fact_id="pandas_loan",
    confidence=0.905,
    source=Source("the article", 12, "two giant pandas"),
    has_more=True,
)


def sections(blocks: tuple[Block, ...]) -> list[str]:
    return [b["text"]["text"] for b in blocks if b["type"] == "section"]


def action_ids(blocks: tuple[Block, ...]) -> list[str]:
    return [e["action_id"] for b in blocks if b["type"] == "actions" for e in b["elements"]]


def test_an_answer_is_a_section_a_source_line_and_buttons() -> None:
    message = render(ANSWER)

    assert message.text == "Two giant pandas &amp; a &lt;zoo&gt;."
    assert sections(message.blocks) == [message.text]
    [context] = [b for b in message.blocks if b["type"] == "context"]
    assert context["elements"][0]["text"] == ui.source_line(12, 0.905)
    assert action_ids(message.blocks) == [
        "summit_vote_up", "summit_vote_down", "summit_ask_source", "summit_ask_more"
    ]
    assert "summit_share" not in action_ids(message.blocks)


def test_a_private_answer_can_be_shared_and_a_shared_one_says_by_whom() -> None:
    private = render(ANSWER, question="what about pandas?", shareable=True)
    [share] = [e for b in private.blocks if b["type"] == "actions" for e in b["elements"]
               if e["action_id"] == "summit_share"]
    assert share["text"]["text"] == ui.SHARE
    assert decode_value(share["value"]) == {"q": "what about pandas?", "f": "pandas_loan",
                                            "p": 0.905}

    shared = render(ANSWER, shared_by="alice")
    context = [e["text"] for b in shared.blocks if b["type"] == "context" for e in b["elements"]]
    assert ui.SHARED_BY.format(user="alice") in context


def test_did_you_mean_has_a_button_per_suggestion_and_no_votes() -> None:
    options = tuple(Suggestion(f"f{i}", "a question " * 20) for i in range(1, 4))
    message = render(Answer(Outcome.SUGGESTED, "which?", suggestions=options))

    assert action_ids(message.blocks) == ["summit_ask_1", "summit_ask_2", "summit_ask_3"]
    labels = [e["text"]["text"] for b in message.blocks if b["type"] == "actions"
              for e in b["elements"]]
    assert all(len(label) <= LABEL_LIMIT and label.endswith(ELLIPSIS) for label in labels)
    assert not [b for b in message.blocks if b["type"] == "context"]


def test_commands_and_abstentions_are_plain() -> None:
    message = render(Answer(Outcome.ABSTAINED, messages.ABSTAIN))
    assert [b["type"] for b in message.blocks] == ["section"]


def test_a_huge_answer_fits_slacks_limits() -> None:
    huge = Answer(Outcome.ANSWERED, ("word & " * 40_000).strip(), fact_id="x",
                  source=Source("d", 1, "q"))
    message = render(huge, question="q", shareable=True)

    assert len(message.blocks) == BLOCK_LIMIT
    assert len(message.text) <= TEXT_LIMIT and message.text.endswith(ELLIPSIS)
    texts = sections(message.blocks)
    assert all(len(t) <= SECTION_LIMIT for t in texts) and texts[-1].endswith(ELLIPSIS)
    assert "summit_share" in action_ids(message.blocks)  # the buttons survive the cut
    assert not any(re.search(r"&[a-z]{0,3}(…)?$", t) for t in texts)  # no entity cut in two


def test_a_long_word_is_cut_but_never_inside_an_entity() -> None:
    text = "&amp;" * 1000
    assert all(chunk.endswith(";") for chunk in split(text, 3001))
    assert trim(text, 12) == "&amp;&amp;" + ELLIPSIS


@given(st.text(alphabet=st.sampled_from("ab &\n."), max_size=400), st.integers(8, 60))
def test_split_keeps_every_word_and_respects_the_limit(text: str, limit: int) -> None:
    chunks = split(text, limit)
    assert all(0 < len(c) <= limit for c in chunks)
    assert "".join("".join(chunks).split()) == "".join(text.split())


@given(st.text(max_size=5000))
def test_button_values_fit_and_decode(question: str) -> None:
    data = encode_value({"q": question, "f": "fact", "p": 0.5})
    value = decode_value(data)
    assert len(data) <= VALUE_LIMIT
    assert value["f"] == "fact" and question.startswith(value["q"])


def test_an_unexpected_value_decodes_to_nothing() -> None:
    assert decode_value("not json") == {} and decode_value("[1]") == {} and decode_value(None) == {}

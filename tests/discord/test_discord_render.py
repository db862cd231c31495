"""Answers as Discord shows them: embeds, buttons and choices, always within Discord's limits."""

from __future__ import annotations

from typing import Any

import pytest

from adapters import messages as ui
from adapters.discord import render
from bot import Answer, Outcome, Source, Suggestion, messages

ANSWER = Answer(
    Outcome.ANSWERED, "Trade is worth $108 billion a year.", fact_id="trade_volume",
    confidence=0.87, source=Source("the article", 9, "trade turnover"), has_more=True,
)
SUGGESTED = Answer(
    Outcome.SUGGESTED, messages.did_you_mean(["How big is trade?", "Who came?"]),
    suggestions=(
        Suggestion("trade_volume", "How big is trade?"), Suggestion("guests", "Who came?")
    ),
)


def buttons(answer: Answer) -> list[dict[str, Any]]:
    """The buttons as Discord receives them (action rows flattened)."""
    view = render.view(answer)
    rows = [] if view is None else view.to_components()
    return [button for row in rows for button in row["components"]]


def custom_ids(answer: Answer) -> list[str]:
    return [b["custom_id"] for b in buttons(answer)]


def test_an_answer_is_an_embed_with_source_and_confidence_in_the_footer() -> None:
    card = render.embed(ANSWER)
    assert card.description == ANSWER.text
    assert card.footer.text == ui.source_line(9, 0.87)


def test_an_answer_has_source_more_and_vote_buttons() -> None:
    assert custom_ids(ANSWER) == [
        "summit:source:trade_volume", "summit:more:trade_volume",
        "summit:up:trade_volume", "summit:down:trade_volume",
    ]


def test_a_suggestion_has_one_button_per_question_and_no_footer() -> None:
    assert custom_ids(SUGGESTED) == ["summit:ask:trade_volume", "summit:ask:guests"]
    assert render.embed(SUGGESTED).footer.text is None


@pytest.mark.parametrize("outcome", [Outcome.ABSTAINED, Outcome.COMMAND])
def test_no_buttons_when_there_is_nothing_to_click(outcome: Outcome) -> None:
    assert render.view(Answer(outcome, "text")) is None
    assert "view" not in render.reply(Answer(outcome, "text"))


def test_long_texts_are_clipped_to_discords_limits() -> None:
    huge = Answer(
        Outcome.SUGGESTED, "x" * 10_000,
        suggestions=tuple(Suggestion(f"f{i}", "q" * 300) for i in range(9)),
    )
    card = render.embed(huge)
    assert card.description is not None and len(card.description) == render.DESCRIPTION_LIMIT
    assert len(buttons(huge)) == render.SUGGESTIONS_LIMIT
    assert all(len(b["label"]) <= render.LABEL_LIMIT for b in buttons(huge))
    assert len(render.notice("y" * 5000)["content"]) == render.CONTENT_LIMIT


def test_a_fact_id_too_long_for_a_custom_id_gets_no_button() -> None:
    answer = Answer(Outcome.SUGGESTED, "?", suggestions=(Suggestion("a" * 120, "Q?"),))
    assert render.view(answer) is None


def test_choices_are_at_most_25_distinct_and_100_characters() -> None:
    suggestions = [Suggestion(f"f{i}", f"question {i % 30} " + "z" * 200) for i in range(60)]
    choices = render.choices(suggestions)
    assert len(choices) == render.CHOICES_LIMIT
    assert len({c.name for c in choices}) == len(choices)
    assert all(len(c.name) <= 100 and len(c.value) <= 100 for c in choices)


async def test_a_button_id_round_trips_through_its_template() -> None:
    button = render.AnswerButton("up", "trade_volume", emoji=ui.VOTE_UP)
    match = render.AnswerButton.__discord_ui_compiled_template__.fullmatch(button.custom_id)
    assert match is not None
    again = await render.AnswerButton.from_custom_id(None, button, match)  # type: ignore[arg-type]
    assert (again.action, again.fact_id) == ("up", "trade_volume")

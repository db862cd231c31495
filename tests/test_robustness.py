"""No input breaks the engine: whatever the text, an Answer comes back, fast and clean."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot import Answer, Engine, Outcome, Question

FIXTURE_OK = [HealthCheck.function_scoped_fixture]
KNOWN = ["pandas", "putin", "xi", "trade", "huawei", "zoo", "?", "lol", "Tula", "熊猫", "санкции"]


@settings(max_examples=300, deadline=None, suppress_health_check=FIXTURE_OK)
@given(text=st.text(max_size=400))
def test_any_text_gets_an_answer_value(engine: Engine, text: str) -> None:
    answer = engine.answer(Question(text, conversation="fuzz"))
    assert isinstance(answer, Answer)
    assert answer.text
    assert 0.0 <= answer.confidence <= 1.0


@settings(max_examples=100, deadline=None, suppress_health_check=FIXTURE_OK)
@given(words=st.lists(st.sampled_from(KNOWN), max_size=30))
def test_any_mix_of_known_words_gets_an_answer_value(engine: Engine, words: list[str]) -> None:
    answer = engine.answer(Question(" ".join(words), conversation="fuzz-words"))
    assert answer.outcome in set(Outcome)


SCRIPTS = st.sampled_from(
    ["熊猫", "大熊猫", "普京", "习近平", "панды", "Путин", "pandas", "Xi", "٣", "한국", "ไทย", "🐼"]
)


@settings(max_examples=60, deadline=None, suppress_health_check=FIXTURE_OK)
@given(
    piece=SCRIPTS, times=st.integers(min_value=1, max_value=2_000), sep=st.sampled_from(["", " "])
)
def test_a_known_word_repeated_in_any_script_gets_an_answer(
    engine: Engine, piece: str, times: int, sep: str
) -> None:
    """A Chinese alias repeated a thousand times once raised RecursionError (issue 10)."""
    answer = engine.answer(Question(sep.join([piece] * times), conversation="repeats"))
    assert answer.text


@pytest.mark.parametrize(
    "text",
    [
        "",
        "熊猫" * 1_000,
        "   \n\t ",
        "😂😂😂🙏",
        "\x00\x01\x02\x1b[31m",
        "a" * 100_000,
        "pandas " * 20_000,
        "<script>alert(1)</script>" * 500,
        "**__~~`#>||[]()",
        "@everyone @here <!channel> <!everyone>",
        "\ud800 lone surrogate",
        "ʕ•ᴥ•ʔ Ꙩ 𝕏𝕚 𝕁𝕚𝕟𝕡𝕚𝕟𝕘",
    ],
)
def test_hostile_input_is_answered_plainly(engine: Engine, text: str) -> None:
    answer = engine.answer(Question(text, conversation="hostile"))
    assert answer.text
    assert "@everyone" not in answer.text and "<!" not in answer.text
    assert "<script>" not in answer.text


def test_a_question_at_the_end_of_a_long_ramble_is_found(engine: Engine) -> None:
    question = "anyway, which company is building the plant in Tula?"
    ramble = "blah blah lorem ipsum. " * 2000 + question
    answer = engine.answer(Question(ramble, conversation="ramble"))
    assert answer.answered and "Great Wall" in answer.text


def test_the_engine_never_echoes_the_question(engine: Engine) -> None:
    marker = "<b>zqxj-unique-marker</b>"
    for text in (marker, f"what are the pandas called {marker}", f"help {marker}"):
        assert "zqxj" not in engine.answer(Question(text, conversation="echo")).text

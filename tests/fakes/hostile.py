"""Hypothesis strategies for what an attacker (or a cat on the keyboard) sends a chat bot.

    @given(text=hostile_text(limit=40_000))                  # a Slack message
    @given(text=hostile_text(limit=2_000, surrogates=False))  # text that must be UTF-8
    @given(value=json_values())                               # a button value, however odd

`hostile_text` mixes arbitrary text, control and format characters (RTL overrides, zero-width
joiners), platform markup (broadcasts, mentions, channel and link markup, Markdown and HTML),
CJK and emoji, and long repeats up to `limit`. Lone surrogates are in by default: JSON carries
"\\ud800" happily; form bodies (UTF-8) cannot.
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

MARKUP = (
    "@everyone", "@here", "<!channel>", "<!everyone>", "<!here>", "<!subteam^S1|@team>",
    "<@U123>", "<@UBOT>", "<@U123|alice>", "<#C1|x>", "<https://x|y>", "<mailto:a@b|a@b>",
    "<@1000000000000000001>", "<@!1000000000000000001>", "<@&123>", "<#1100000000000000002>",
    "<:panda:123>", "&amp;", "&lt;", "&gt;", "&", "<", ">", "|", "**", "__", "~~", "`", "```",
    "||spoiler||", "[x](https://evil.example)", "# ", "> ", "<script>alert(1)</script>",
    "</b>", "\u202e", "\u202d", "\u2066", "\u200b", "\u200d", "\ufeff", "\x00", "\x1b[2J",
    "\x1b]52;c;aGk=\x07", "\r\n", "\n", "\t", " ", "?", "？", "熊猫", "普京", "习近平", "🐼",
    "👍🏽", "👨‍👩‍👧", "Путин", "панды", "ذهب", "pandas", "who skipped the forum", "source", "more",
    "help", "topics", "reload", "1", "2",
)
REPEATED = ("熊猫", "大熊猫", "习近平", "🐼", "a", "pandas ", "<!channel> ", "&lt;", "\u202e", "?")
LONE_SURROGATES = st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF)
CONTROLS = st.characters(categories=["Cc", "Cf", "Zl", "Zp"])


def hostile_text(
    *, limit: int, surrogates: bool = True, min_size: int = 0
) -> st.SearchStrategy[str]:
    """Text of `min_size` to `limit` characters, most of it hostile in some way."""
    letters = st.one_of(st.characters(), CONTROLS, *([LONE_SURROGATES] if surrogates else []))
    arbitrary = st.text(letters, max_size=200)
    mixed = st.lists(st.one_of(st.sampled_from(MARKUP), st.text(letters, max_size=12)),
                     max_size=40).map("".join)
    long = st.builds(lambda piece, n: piece * n, st.sampled_from(REPEATED),
                     st.integers(min_value=1, max_value=limit))
    return st.one_of(arbitrary, mixed, long).map(lambda s: s[:limit]).filter(
        lambda s: len(s) >= min_size
    )


def json_values() -> st.SearchStrategy[Any]:
    """Any JSON value: nested lists and objects of strings (lone surrogates too), numbers as
    large as 1e308, NaN and infinities (Python's json reads and writes them), booleans, null."""
    scalars = st.one_of(
        st.none(), st.booleans(), st.integers(), st.floats(),
        st.sampled_from([1e308, -1e308, 0.5, 2**63, "trade_volume", "forum_skipped", ""]),
        st.text(st.one_of(st.characters(), LONE_SURROGATES), max_size=30),
    )
    return st.recursive(
        scalars,
        lambda inner: st.one_of(st.lists(inner, max_size=4),
                                st.dictionaries(st.text(max_size=5), inner, max_size=4)),
        max_leaves=12,
    )

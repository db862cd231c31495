"""Pure helpers between Slack's message format and plain text. No I/O, no SDK.

Slack sends text with its own markup: `<@U123>` user mentions, `<#C123|general>` channels,
`<!here>` broadcasts, `<https://x|label>` links, and `&`, `<`, `>` escaped as entities.

    question_text("<@UBOT> who came? &lt;3", bot_user_id="UBOT")   # 'who came? <3'
    escape("<!channel> & co")                                        # '&lt;!channel&gt; &amp; co'
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

_ENTITY = re.compile(r"<([^<>|]*)(?:\|([^<>]*))?>")

# Subtypes that are still a person writing: a reply also sent to the channel, a message with
# a file. Everything else (edits, deletions, joins, bot messages, ...) is not a question.
PERSON_SUBTYPES = frozenset({"thread_broadcast", "file_share"})


def escape(text: str) -> str:
    """Make any text inert in Slack markup: no links, mentions or `<!channel>` pings."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def unescape(text: str) -> str:
    """Undo Slack's escaping of `&`, `<` and `>` (the only three entities Slack uses)."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def strip_mention(text: str, user_id: str | None) -> str:
    """Remove every mention of `user_id` (the bot) and tidy the spaces left behind."""
    if user_id:
        text = re.sub(rf"<@{re.escape(user_id)}(?:\|[^>]*)?>:?", " ", text)
    return _tidy(text)


def unwrap(text: str) -> str:
    """Slack markup to what a person reads: links to their label, mentions to @names."""
    return unescape(_ENTITY.sub(_unwrap_one, text))


def _unwrap_one(match: re.Match[str]) -> str:
    target, label = match.group(1), match.group(2)
    if target.startswith("@"):  # <@U123> or <@U123|alice>
        return f"@{label}" if label else target
    if target.startswith("#"):  # <#C123|general>
        return f"#{label}" if label else target
    if target.startswith("!"):  # <!here>, <!subteam^S1|@team>, <!date^...|fallback>
        return label if label else "@" + target[1:].split("^")[0]
    if label:  # <https://x|label>, <mailto:a@b|a@b>
        return label
    return target.removeprefix("mailto:")


def question_text(text: str, bot_user_id: str | None) -> str:
    """The plain question the engine sees: bot mention removed, markup unwrapped."""
    return _tidy(unwrap(strip_mention(text, bot_user_id)))


def _tidy(text: str) -> str:
    """Collapse the spaces a removed mention leaves; keep line breaks (they end sentences)."""
    return "\n".join(" ".join(line.split()) for line in text.strip().splitlines()).strip()


def mentions(text: str, user_id: str | None) -> bool:
    """True when `text` mentions `user_id`."""
    return bool(user_id) and (f"<@{user_id}>" in text or f"<@{user_id}|" in text)


def is_question(text: str) -> bool:
    """Ends in a question mark (ASCII or full-width, as Chinese and Japanese write it)."""
    return text.rstrip().endswith(("?", "？"))


def should_ignore(
    event: Mapping[str, Any], *, bot_user_id: str | None, bot_id: str | None
) -> bool:
    """True for anything but a person's new message: our own, other bots', edits, joins, ..."""
    subtype = event.get("subtype")
    if subtype and subtype not in PERSON_SUBTYPES:
        return True
    if event.get("bot_id") or event.get("bot_profile") or event.get("hidden"):
        return True
    if "edited" in event:
        return True
    user = event.get("user")
    return not user or user == bot_user_id or (bot_id is not None and user == bot_id)

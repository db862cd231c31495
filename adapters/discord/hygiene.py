"""Small pure helpers that make Discord text safe and clean before and after the engine.

    >>> should_ignore(author_id=7, author_is_bot=False, bot_id=1)
    False
    >>> question_text("<@!1> who came? cc <@42>", bot_id=1, names={42: "Alice"})
    'who came? cc Alice'
    >>> clip("a" * 10, 5)
    'aaaa…'
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping

QUESTION_LIMIT = 2000
"""A Discord message holds at most 2,000 characters; a slash option is capped to the same."""

_USER_MENTION = re.compile(r"<@!?(\d{1,20})>")
_ROLE_MENTION = re.compile(r"<@&\d{1,20}>")
_SPACES = re.compile(r"[ \t]+")


def should_ignore(*, author_id: int, author_is_bot: bool, bot_id: int) -> bool:
    """Never answer ourselves or another bot (two bots answering each other loop forever)."""
    return author_id == bot_id or author_is_bot


def addressed(text: str, *, bot_id: int, mentioned_ids: Collection[int] = ()) -> bool:
    """True when a server message is meant for the bot: it mentions it, or replies to it with a
    ping (then Discord lists the bot among the mentions without `<@id>` in the text).
    `@everyone` does not count: the bot is not meant by it."""
    if bot_id in mentioned_ids:
        return True
    return any(int(m) == bot_id for m in _USER_MENTION.findall(text))


def strip_own_mention(text: str, *, bot_id: int) -> str:
    """Remove `<@bot>` and `<@!bot>` (the nickname form) wherever they are."""
    return _USER_MENTION.sub(lambda m: "" if int(m[1]) == bot_id else m[0], text)


def name_mentions(text: str, names: Mapping[int, str]) -> str:
    """Replace other user mentions by their names (unknown ones, and role mentions, dropped)."""
    text = _ROLE_MENTION.sub("", text)
    return _USER_MENTION.sub(lambda m: names.get(int(m[1]), ""), text)


def prefixed(text: str, prefix: str | None, command: str = "ask") -> str | None:
    """The question after `!ask` (for prefix "!"), or None when the text is not that command."""
    if not prefix:
        return None
    head = f"{prefix}{command}"
    stripped = text.lstrip()
    if not stripped.casefold().startswith(head.casefold()):
        return None
    rest = stripped[len(head) :]
    if rest and not rest[0].isspace():
        return None  # "!asked" is not "!ask"
    return rest.strip()


def question_text(text: str, *, bot_id: int, names: Mapping[int, str]) -> str:
    """The question as the engine should see it: no bot mention, names for people, tidy, clipped."""
    text = name_mentions(strip_own_mention(text, bot_id=bot_id), names)
    lines = (_SPACES.sub(" ", line).strip() for line in text.splitlines())
    return clip("\n".join(line for line in lines if line), QUESTION_LIMIT)


def clip(text: str, limit: int) -> str:
    """At most `limit` characters; a cut text ends with an ellipsis so readers see the cut."""
    if len(text) <= limit:
        return text
    return text[: limit - 1].rstrip() + "…"


def conversation_key(channel_id: int | None, user_id: int) -> str:
    """One conversation per person per channel or thread: follow-ups there refer to it."""
    return f"discord:{channel_id or 0}:{user_id}"

"""Answers as Slack messages: Block Kit blocks, plus the plain `text` notifications show.

    message = render(answer)                                           # a thread or a DM
    message = render(answer, question="who came?", shareable=True)     # ephemeral, with "Share"
    await client.chat_postMessage(channel=c, text=message.text, blocks=list(message.blocks))

Everything shown is escaped and marked `verbatim`, so no answer can turn into a link, a
mention or a `<!channel>` ping. Slack's limits (checked 2025): 3,000 characters per section
text, 50 blocks per message, 75 per button label, 2,000 per button value.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from adapters import messages
from adapters.slack.hygiene import escape
from bot.types import Answer

SECTION_LIMIT = 3000
BLOCK_LIMIT = 50
TEXT_LIMIT = 3000  # Slack takes 40,000 in `text`; a notification shows a line or two
LABEL_LIMIT = 75
VALUE_LIMIT = 2000
ELLIPSIS = "…"

ASK = "summit_ask"  # + "_1".."_3" (suggestions), "_source", "_more": answers that fact
VOTE_UP = "summit_vote_up"
VOTE_DOWN = "summit_vote_down"
SHARE = "summit_share"

Block = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Message:
    text: str
    blocks: tuple[Block, ...] = ()


def render(
    answer: Answer, *, question: str = "", shareable: bool = False, shared_by: str = ""
) -> Message:
    """The message for an answer; `question` is what "Share in channel" asks again."""
    shown = escape(answer.text)
    tail = _tail(answer, question=question, shareable=shareable, shared_by=shared_by)
    chunks = split(shown, SECTION_LIMIT)
    room = BLOCK_LIMIT - len(tail)
    if len(chunks) > room:
        chunks = [*chunks[: room - 1], trim(chunks[room - 1] + " " + ELLIPSIS, SECTION_LIMIT)]
    sections = [{"type": "section", "text": _mrkdwn(chunk)} for chunk in chunks]
    return Message(text=trim(shown, TEXT_LIMIT), blocks=(*sections, *tail))


def notice(text: str) -> Message:
    """A short message without buttons (thanks, errors)."""
    return Message(text=escape(text))


def _tail(answer: Answer, *, question: str, shareable: bool, shared_by: str) -> list[Block]:
    blocks: list[Block] = []
    notes = []
    if answer.answered and answer.source is not None:
        notes.append(messages.source_line(answer.source.paragraph, answer.confidence))
    if shared_by:
        notes.append(messages.SHARED_BY.format(user=shared_by))
    if notes:
        blocks.append({"type": "context", "elements": [_mrkdwn(escape(n)) for n in notes]})
    if answer.suggestions:
        blocks.append(_actions(
            _button(s.question, f"{ASK}_{i}", {"f": s.fact_id})
            for i, s in enumerate(answer.suggestions, 1)
        ))
    if answer.answered and answer.fact_id:
        fact = answer.fact_id
        row = [
            _button(messages.VOTE_UP, VOTE_UP, {"f": fact}, label=messages.VOTE_UP_LABEL),
            _button(messages.VOTE_DOWN, VOTE_DOWN, {"f": fact}, label=messages.VOTE_DOWN_LABEL),
            _button(messages.SOURCE_BUTTON, f"{ASK}_source", {"f": fact, "q": "source"}),
        ]
        if answer.has_more:
            row.append(_button(messages.MORE_BUTTON, f"{ASK}_more", {"f": fact, "q": "more"}))
        blocks.append(_actions(row))
    if shareable:
        share = {"q": question, "f": answer.fact_id, "p": answer.confidence}
        blocks.append(_actions([_button(messages.SHARE, SHARE, share, style="primary")]))
    return blocks


def _mrkdwn(text: str) -> Block:
    # verbatim: Slack must not turn names, channels or URLs in the text into links or pings.
    return {"type": "mrkdwn", "text": text, "verbatim": True}


def _actions(elements: Any) -> Block:
    return {"type": "actions", "elements": list(elements)}


def _button(
    text: str, action_id: str, value: dict[str, Any], *, label: str = "", style: str = ""
) -> Block:
    button: Block = {
        "type": "button",
        "action_id": action_id,
        "text": {"type": "plain_text", "text": trim(text, LABEL_LIMIT), "emoji": True},
        "value": encode_value(value),
    }
    if label:
        button["accessibility_label"] = label
    if style:
        button["style"] = style
    return button


def encode_value(value: dict[str, Any]) -> str:
    """A button value as compact JSON within Slack's limit (a long question is cut short)."""
    value = dict(value)
    while True:
        data = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
        if len(data) <= VALUE_LIMIT or not value.get("q"):
            return data[:VALUE_LIMIT]
        value["q"] = value["q"][: len(value["q"]) - (len(data) - VALUE_LIMIT) - 1]


def decode_value(data: object) -> dict[str, Any]:
    """The dict a button was given, or {} for anything unexpected."""
    try:
        value = json.loads(str(data))
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def split(text: str, limit: int) -> list[str]:
    """Cut text into pieces of at most `limit` characters, at paragraph, line or word ends."""
    chunks = []
    while len(text) > limit:
        cut = _cut_point(text, limit)
        chunks.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    return [*chunks, text] if text else chunks


def trim(text: str, limit: int) -> str:
    """Text cut to at most `limit` characters, ending in "…" when it was cut."""
    if len(text) <= limit:
        return text
    return text[: _cut_point(text, limit - len(ELLIPSIS))].rstrip() + ELLIPSIS


def _cut_point(text: str, limit: int) -> int:
    window = text[:limit]
    for separator in ("\n\n", "\n", ". ", " "):
        at = window.rfind(separator)
        if at > limit // 2:
            return at + len(separator)
    amp = window.rfind("&", max(0, limit - 5))  # never cut an entity such as &amp; in two
    return amp if amp > 0 and ";" not in window[amp:] else limit

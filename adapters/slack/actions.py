"""Button clicks checked at the edge: what a block_actions payload must look like to be used.

    click = read_click(body)    # a Click, or OddClick("actions.0.value.p: less_than_equal")
    click.value                 # AskValue | VoteValue | ShareValue, by the button's action id

A click is Slack's, signed, and its `value` is the JSON this bot put on its own button
(adapters/slack/render.py). Anything else (an object where a string belongs, a confidence of
1e308, a huge string, a missing field, an action id the bot never made) raises OddClick with
a short reason that quotes nothing of the payload; the app answers it with a polite
ephemeral message and one log line. Slack's limits (2025): 2,000 characters per value,
255 per action id.
"""

from __future__ import annotations

import json
import re
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from adapters.slack.render import ASK, SHARE, VALUE_LIMIT, VOTE_DOWN, VOTE_UP

ACTION_ID_LIMIT = 255
ASK_ACTION = re.compile(rf"{ASK}_\w+")  # _1.._3 (did you mean), _source, _more

FactId = Annotated[  # the fact base's id rule (bot/knowledge.py), and a sane length
    str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_\-]*$", max_length=100)
]
Short = Annotated[str, StringConstraints(max_length=255)]


class OddClick(ValueError):
    """A click the bot cannot use; the message says where, never what was sent."""


class _Strict(BaseModel):
    # strict: no coercion, so {"q": 5} or {"p": "1"} is odd rather than quietly converted
    model_config = ConfigDict(strict=True, frozen=True, extra="ignore")


class AskValue(_Strict):
    """A did-you-mean, Source or More button: answer fact `f` (or its source, or more)."""

    f: FactId
    q: Literal["source", "more"] | None = None


class VoteValue(_Strict):
    """👍 or 👎 about fact `f`."""

    f: FactId


class ShareValue(_Strict):
    """"Share in channel": ask `q` again for everyone, as sure (`p`) as when it was asked."""

    q: str = Field(max_length=VALUE_LIMIT)
    f: FactId | None = None
    p: float = Field(0.0, ge=0.0, le=1.0, allow_inf_nan=False)


Value = AskValue | VoteValue | ShareValue


class _Ref(_Strict):
    id: Short


class _User(_Ref):
    username: Short = ""
    name: Short = ""


class _Container(_Strict):
    channel_id: Short = ""
    is_ephemeral: bool = False


class _Posted(_Strict):
    ts: Short = ""
    thread_ts: Short | None = None


class _Action(_Strict):
    action_id: str = Field(max_length=ACTION_ID_LIMIT)
    value: str = Field(max_length=VALUE_LIMIT)


class _Payload(_Strict):
    user: _User
    channel: _Ref | None = None
    container: _Container = _Container()
    message: _Posted | None = None
    actions: list[_Action] = Field(min_length=1, max_length=1)  # a button click is one action


class Click(_Strict):
    """A checked click: who, where, which button and its value."""

    user: _User
    channel: str
    ephemeral: bool  # on a private /summit answer (then there is no message)
    message_ts: str
    thread_ts: str | None
    action_id: str
    value: Value


def read_click(body: object) -> Click:
    """The click in a block_actions payload; OddClick for any other shape."""
    try:
        payload = _Payload.model_validate(body)
    except ValidationError as exc:
        raise OddClick(_where(exc)) from None
    action = payload.actions[0]
    kind = _value_kind(action.action_id)
    if kind is None:
        raise OddClick("actions.0.action_id: not a button of this bot")
    try:
        value = kind.model_validate(json.loads(action.value))
    except (ValueError, RecursionError) as exc:  # not JSON (or nested too deep), or invalid
        where = _where(exc) if isinstance(exc, ValidationError) else "not JSON"
        raise OddClick(f"actions.0.value.{where}") from None
    container, message = payload.container, payload.message or _Posted()
    channel = (payload.channel.id if payload.channel else "") or container.channel_id
    return Click(
        user=payload.user,
        channel=channel,
        ephemeral=container.is_ephemeral,
        message_ts=message.ts,
        thread_ts=message.thread_ts,
        action_id=action.action_id,
        value=value,
    )


def _value_kind(action_id: str) -> type[Value] | None:
    if ASK_ACTION.fullmatch(action_id):
        return AskValue
    if action_id in (VOTE_UP, VOTE_DOWN):
        return VoteValue
    return ShareValue if action_id == SHARE else None


def _where(exc: ValidationError) -> str:
    """The first problem as `path: kind` (e.g. "p: less_than_equal"), without the input."""
    error = exc.errors(include_url=False, include_input=False, include_context=False)[0]
    path = ".".join(str(part) for part in error["loc"]) or "payload"
    return f"{path}: {error['type']}"

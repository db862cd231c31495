"""Button clicks checked before discord.py reads them: the bot's own buttons, or a polite no.

    check_clicks(client)          # once, when the client is built
    async def on_odd_click(self, payload, reason): ...   # the client answers the odd ones

A click (an INTERACTION_CREATE of type 3) should carry the custom id of one of the bot's
buttons (`render.BUTTON_ID`, at most 100 characters). discord.py indexes the payload as it
expects it: a missing or non-string custom id raised in its gateway parser and took the whole
connection down, and a custom id it does not know was dropped without a reply, so the person
saw "This interaction failed". Here any other shape is sent to the client's `on_odd_click`
with a short reason that quotes nothing of the payload.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import Any, Literal

import discord
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from adapters.discord.render import BUTTON_ID, CUSTOM_ID_LIMIT

log = logging.getLogger(__name__)

COMPONENT = 3  # the interaction type of a click on a message component


class _Button(BaseModel):
    model_config = ConfigDict(strict=True, extra="ignore")

    custom_id: str = Field(max_length=CUSTOM_ID_LIMIT)
    component_type: Literal[2]  # a button: the only component the bot makes


class _Click(BaseModel):
    model_config = ConfigDict(strict=True, extra="ignore")

    data: _Button


def odd_click(payload: Any) -> str | None:
    """Why this interaction is a click the bot cannot use, or None (any other interaction too)."""
    if not isinstance(payload, dict) or payload.get("type") != COMPONENT:
        return None
    try:
        click = _Click.model_validate(payload)
    except ValidationError as exc:
        error = exc.errors(include_url=False, include_input=False, include_context=False)[0]
        return ".".join(str(part) for part in error["loc"]) + f": {error['type']}"
    if re.fullmatch(BUTTON_ID, click.data.custom_id) is None:
        return "data.custom_id: not a button of this bot"
    return None


def check_clicks(client: discord.Client) -> None:
    """Put `odd_click` in front of discord.py's INTERACTION_CREATE parser (discord.py 2.7:
    `ConnectionState.parsers` maps gateway events to parsers, and the gateway reads this dict)."""
    parsers: dict[str, Callable[[Any], None]] = client._connection.parsers
    parse = parsers["INTERACTION_CREATE"]

    def checked(payload: Any) -> None:
        reason = odd_click(payload)
        if reason is not None:
            client.dispatch("odd_click", payload, reason)  # runs client.on_odd_click as a task
            return
        try:
            parse(payload)
        except (KeyError, TypeError, ValueError) as exc:  # an interaction discord.py can't read
            log.warning("odd interaction dropped (%s)", type(exc).__name__)

    parsers["INTERACTION_CREATE"] = checked

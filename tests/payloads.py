"""Captured platform payloads, kept as JSON under tests/fixtures/{slack,discord}/.

    envelope = payload("slack/event_callback")        # a fresh copy: change it freely
    envelope["event"] = payload("slack/app_mention") | {"text": "<@UBOT> hi"}

The files are what the platforms send (or, for the fakes' HTTP answers, what they return),
with stable ids; the test or the fake fills in the fields that vary.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).with_name("fixtures")


def payload(name: str) -> dict[str, Any]:
    """The payload `fixtures/{name}.json`, e.g. "slack/app_mention": a fresh deep copy."""
    loaded = json.loads(_text(name))
    assert isinstance(loaded, dict), name
    return loaded


@cache
def _text(name: str) -> str:
    return (FIXTURES / f"{name}.json").read_text(encoding="utf-8")

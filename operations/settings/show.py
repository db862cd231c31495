"""Showing settings: `summit-bot config` (secrets masked) and the text of `.env.example`."""

from __future__ import annotations

import textwrap

from pydantic import SecretStr

from operations.settings.model import Settings, secret_fields, variable
from operations.urls import masked


def shown(settings: Settings) -> list[tuple[str, str]]:
    """(VARIABLE, value) for every setting, secrets masked, unset ones as an empty value."""
    rows = []
    for name in Settings.model_fields:
        value = getattr(settings, name)
        if isinstance(value, SecretStr):
            secret = value.get_secret_value()
            text = masked(secret) if "://" in secret else "********"
        elif value is None:
            text = ""
        elif isinstance(value, bool):
            text = str(value).lower()
        elif isinstance(value, frozenset):
            text = ",".join(sorted(value))
        else:
            text = str(value)
        rows.append((variable(name), text))
    return rows


_SECTIONS = {
    "slack_": "Slack (summit-bot slack; docs/slack.md)",
    "discord_": "Discord (summit-bot discord; docs/discord.md)",
    "redis_": "Shared state (several replicas; docs/deploy.md)",
}


def _section(name: str, extra: object) -> str:
    """A field's section in .env.example: `json_schema_extra={"section": ...}`, else by prefix."""
    if isinstance(extra, dict) and isinstance(extra.get("section"), str):
        return str(extra["section"])
    return next((t for p, t in _SECTIONS.items() if name.startswith(p)), "General")


def example() -> str:
    """The text of `.env.example`: every variable with its meaning; secrets left empty."""
    lines = [
        "# summit-bot settings: copy to .env and fill in the tokens of the platforms you run.",
        "# Every variable is optional unless its line says required; an empty value is unset.",
        "# A commented-out line shows the default. Generated from operations/settings/",
        "# (summit-bot config --example); `summit-bot config` prints the effective values.",
    ]
    sections: dict[str, list[str]] = {}  # in the order each first appears
    for name, info in Settings.model_fields.items():
        lines_of = sections.setdefault(_section(name, info.json_schema_extra), [])
        lines_of.append("")
        lines_of += textwrap.wrap(
            info.description or "", width=98, initial_indent="# ", subsequent_indent="# "
        )
        default = info.default
        if name in secret_fields():
            lines_of.append(f"{variable(name)}=")
        elif default is None or default == frozenset():
            lines_of.append(f"# {variable(name)}=")
        else:
            text = str(default).lower() if isinstance(default, bool) else str(default)
            lines_of.append(f"# {variable(name)}={text}")
    for title, body in sections.items():
        lines += ["", f"# == {title} " + "=" * max(3, 92 - len(title)), *body]
    return "\n".join(lines) + "\n"

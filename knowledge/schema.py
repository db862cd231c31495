"""The fact base's schema: the YAML's shape (pydantic models) and the checks across facts.

Errors name the file, the fact id and the field; keys of a file that is not a fact base are
never quoted back.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from knowledge.errors import KnowledgeError

_ID_PATTERN = r"^[a-z0-9][a-z0-9_\-]*$"
_NAME = re.compile(r"^[A-Za-z0-9_.\-]{1,64}$")  # a key shown in an error; any other is not


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class EventModel(_Strict):
    name: str = Field(min_length=1)
    bot_name: str = ""  # what the bot calls itself ("summit-bot"); empty: no name of its own
    place: str = ""
    description: str = ""
    document: str = Field(default="the source article", min_length=1)


class SourceModel(_Strict):
    paragraph: int = Field(ge=1)
    quote: str = Field(min_length=3)


class FactModel(_Strict):
    id: str = Field(pattern=_ID_PATTERN)
    topic: str = Field(min_length=1)
    questions: list[str] = Field(min_length=1)
    answer: str = Field(min_length=1)
    more: str = ""
    keywords: list[str] = []
    translations: dict[str, str] = {}
    source: SourceModel
    related: list[str] = []

    @field_validator("questions", "keywords")
    @classmethod
    def _no_blank_items(cls, items: list[str]) -> list[str]:
        if any(not item.strip() for item in items):
            raise ValueError("must not contain empty entries")
        return [item.strip() for item in items]


class KnowledgeModel(_Strict):
    event: EventModel
    aliases: dict[str, list[str]] = {}
    not_about: list[str] = []
    facts: list[FactModel] = Field(min_length=1)


def check_references(model: KnowledgeModel, name: str) -> None:
    problems: list[str] = []
    seen: set[str] = set()
    for fact in model.facts:
        if fact.id in seen:
            problems.append(f"fact {fact.id!r}: duplicate id")
        seen.add(fact.id)
    for fact in model.facts:
        problems += [
            f"fact {fact.id!r}, field 'related': unknown fact id {rid!r}"
            for rid in fact.related
            if rid not in seen
        ]
    corpus = " ".join(
        " ".join([*f.questions, f.answer, f.more, *f.keywords]) for f in model.facts
    ).casefold()
    for term, variants in model.aliases.items():
        if not term.strip():
            problems.append("aliases: an empty term")
        elif term.casefold() not in corpus:
            problems.append(f"aliases, term {term!r}: unknown target (no fact mentions it)")
        if not variants or any(not str(v).strip() for v in variants):
            problems.append(f"aliases, term {term!r}: needs a list of non-empty variants")
    if problems:
        raise KnowledgeError(f"{name}: " + "; ".join(problems))


def describe(exc: ValidationError, raw: Mapping[str, Any], name: str) -> str:
    parts = []
    for err in exc.errors():
        loc = [_shown(p) for p in err["loc"]]  # keys from a file that is not a fact base: hidden
        where = ".".join(loc)
        if len(loc) >= 2 and loc[0] == "facts" and isinstance(err["loc"][1], int):
            n = int(err["loc"][1])
            facts = raw.get("facts")
            fact = f"#{n + 1}"
            if isinstance(facts, list) and n < len(facts) and isinstance(facts[n], dict):
                fact_id = facts[n].get("id")
                fact = repr(fact_id) if isinstance(fact_id, str) and _NAME.match(fact_id) else fact
            field = ".".join(loc[2:]) or "(the fact)"
            where = f"fact {fact}, field {field!r}"
        message = _unknown_field(err["loc"]) if err["type"] == "extra_forbidden" else err["msg"]
        parts.append(f"{where}: {message}")
    return f"{name}: " + "; ".join(parts)


def _unknown_field(loc: tuple[int | str, ...]) -> str:
    """ "unknown field", with the closest field the place takes: `keyword` -> `keywords`."""
    path = tuple(p for p in loc[:-1] if isinstance(p, str))
    model = _MODELS.get(path)
    known = list(model.model_fields) if model else []
    close = difflib.get_close_matches(str(loc[-1]).casefold(), known, n=1, cutoff=0.6)
    return f"unknown field; did you mean {close[0]!r}?" if close else "unknown field"


_MODELS: dict[tuple[str, ...], type[BaseModel]] = {
    (): KnowledgeModel,
    ("event",): EventModel,
    ("facts",): FactModel,
    ("facts", "source"): SourceModel,
}


def _shown(part: object) -> str:
    """A key as an error names it: a plain name as it is, anything else not quoted."""
    text = str(part)
    return text if isinstance(part, int) or _NAME.match(text) else "an unknown key"

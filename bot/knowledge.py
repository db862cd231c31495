"""The fact base: YAML written by organisers, validated into frozen values.

    kb = load_knowledge("knowledge/summit.yaml")   # raises KnowledgeError naming file, fact, field

The YAML has `event` (name, place, description, document), `aliases` (a term the facts use ->
other ways people say it, in any language), optional `not_about` (phrases that look like the
event's terms but mean something else) and `facts`. See knowledge/README.md.
"""

from __future__ import annotations

import re
import stat
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from bot.errors import KnowledgeError

_ID_PATTERN = r"^[a-z0-9][a-z0-9_\-]*$"
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's: ten times faster at start
MAX_FILE_BYTES = 5 * 1024 * 1024
"""The largest fact base read (the shipped one is about 110 kB): a bigger file, a device such
as /dev/zero or a pipe is refused before any of it is read."""
_NAME = re.compile(r"^[A-Za-z0-9_.\-]{1,64}$")  # a key shown in an error; any other is not


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class EventModel(_Strict):
    name: str = Field(min_length=1)
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


@dataclass(frozen=True, slots=True)
class Fact:
    id: str
    topic: str
    questions: tuple[str, ...]
    answer: str
    more: str
    keywords: tuple[str, ...]
    translations: Mapping[str, str]
    paragraph: int
    quote: str
    related: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Event:
    name: str
    place: str
    description: str
    document: str


@dataclass(frozen=True, slots=True)
class KnowledgeBase:
    """A validated fact base. `version` is a short hash of its content."""

    event: Event
    aliases: Mapping[str, tuple[str, ...]]
    facts: tuple[Fact, ...]
    version: str
    path: str = ""
    not_about: tuple[str, ...] = ()  # phrases that look like the event's terms but are not

    def fact(self, fact_id: str) -> Fact | None:
        return next((f for f in self.facts if f.id == fact_id), None)


def load_knowledge(path: str | Path) -> KnowledgeBase:
    """Read and validate a fact base file; raise KnowledgeError with file, fact id and field."""
    path = Path(path)
    try:
        if not stat.S_ISREG(path.stat().st_mode):
            raise KnowledgeError(f"{path}: not a regular file")
        with path.open(encoding="utf-8") as file:
            raw_text = file.read(MAX_FILE_BYTES + 1)
        if len(raw_text) > MAX_FILE_BYTES:  # it grew since: still not read past the limit
            raise KnowledgeError(f"{path}: larger than {MAX_FILE_BYTES // 2**20} MB")
    except OSError as exc:
        raise KnowledgeError(f"{path}: cannot read the fact base ({exc.strerror})") from None
    except UnicodeDecodeError:
        raise KnowledgeError(f"{path}: the fact base is not UTF-8 text") from None
    return parse_knowledge(raw_text, name=str(path))


def parse_knowledge(text: str, *, name: str = "<fact base>") -> KnowledgeBase:
    """Validate fact-base YAML given as text (see `load_knowledge`)."""
    try:
        raw = yaml.load(text, Loader=_LOADER)
    except yaml.YAMLError as exc:  # named by line and column: the text is never quoted
        where = getattr(exc, "problem_mark", None)
        line = f" line {where.line + 1}, column {where.column + 1}:" if where is not None else ""
        problem = getattr(exc, "problem", None) or type(exc).__name__
        raise KnowledgeError(f"{name}:{line} not valid YAML ({problem})") from None
    if not isinstance(raw, dict):
        raise KnowledgeError(f"{name}: expected a mapping with event, aliases and facts")
    try:
        model = KnowledgeModel.model_validate(raw)
    except ValidationError as exc:
        raise KnowledgeError(_describe(exc, raw, name)) from None
    _check_references(model, name)
    return _freeze(model, name, text)


def _freeze(model: KnowledgeModel, name: str, text: str) -> KnowledgeBase:
    import hashlib

    facts = tuple(
        Fact(
            id=f.id,
            topic=f.topic,
            questions=tuple(f.questions),
            answer=f.answer,
            more=f.more,
            keywords=tuple(f.keywords),
            translations=dict(f.translations),
            paragraph=f.source.paragraph,
            quote=f.source.quote,
            related=tuple(f.related),
        )
        for f in model.facts
    )
    e = model.event
    return KnowledgeBase(
        event=Event(name=e.name, place=e.place, description=e.description, document=e.document),
        aliases={k.strip(): tuple(v) for k, v in model.aliases.items()},
        facts=facts,
        not_about=tuple(p.strip() for p in model.not_about if p.strip()),
        version=hashlib.sha256(text.encode("utf-8")).hexdigest()[:12],
        path=name,
    )


def _check_references(model: KnowledgeModel, name: str) -> None:
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


def _describe(exc: ValidationError, raw: Mapping[str, Any], name: str) -> str:
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
        parts.append(f"{where}: {err['msg']}")
    return f"{name}: " + "; ".join(parts)


def _shown(part: object) -> str:
    """A key as an error names it: a plain name as it is, anything else not quoted."""
    text = str(part)
    return text if isinstance(part, int) or _NAME.match(text) else "an unknown key"

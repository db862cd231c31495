"""Reading fact bases and language data from files into frozen values (knowledge/types.py).

    kb = load_knowledge("knowledge/summit.yaml")   # raises KnowledgeError naming file, fact, field
    language = load_language()                     # knowledge/language/{en,ru,zh}/*.txt

The YAML has `event` (name, place, description, document, optional bot_name), `aliases` (a term
the facts use -> other ways people say it, in any language), optional `not_about` (phrases that
look like the event's terms but mean something else) and `facts`. See knowledge/README.md.
The engine (bot/) never imports this module: the edge loads, the engine is handed values.
"""

from __future__ import annotations

import hashlib
import re
import stat
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from knowledge.errors import KnowledgeError
from knowledge.schema import KnowledgeModel, check_references, describe
from knowledge.types import Event, Fact, KnowledgeBase, Language

DEFAULT = Path(__file__).with_name("summit.yaml")
"""The shipped fact base: Putin and Xi at the Saint Petersburg forum."""
LANGUAGES = Path(__file__).with_name("language")
SPOKEN = ("en", "ru", "zh")
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's: ten times faster at start
MAX_FILE_BYTES = 5 * 1024 * 1024
"""The largest fact base read (the shipped one is about 110 kB): a bigger file, a device such
as /dev/zero or a pipe is refused before any of it is read."""


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
    except yaml.YAMLError as exc:  # named by line, column and fact: the text is never quoted
        raise KnowledgeError(_yaml_error(exc, text, name)) from None
    if not isinstance(raw, dict):
        raise KnowledgeError(f"{name}: expected a mapping with event, aliases and facts")
    try:
        model = KnowledgeModel.model_validate(raw)
    except ValidationError as exc:
        raise KnowledgeError(describe(exc, raw, name)) from None
    check_references(model, name)
    return _freeze(model, name, text)


def _yaml_error(exc: yaml.YAMLError, text: str, name: str) -> str:
    where = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or type(exc).__name__
    if where is None:
        return f"{name}: not valid YAML ({problem})"
    fact = nearest_fact(text, where.line)
    in_fact = f" (in fact {fact!r})" if fact else ""
    return (
        f"{name}: line {where.line + 1}, column {where.column + 1}{in_fact}: "
        f"not valid YAML ({problem})"
    )


_FACT_ID_LINE = re.compile(r"^\s*-\s+id:\s*([\"']?)([a-z0-9][a-z0-9_\-]{0,63})\1\s*(?:#.*)?$")


def nearest_fact(text: str, line: int) -> str | None:
    """The id of the last `- id: ...` line at or before 0-based `line`, if any."""
    for row in reversed(text.splitlines()[: line + 1]):
        found = _FACT_ID_LINE.match(row)
        if found:
            return found.group(2)
    return None


def _freeze(model: KnowledgeModel, name: str, text: str) -> KnowledgeBase:
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
        event=Event(e.name, e.place, e.description, e.document, bot_name=e.bot_name),
        aliases={k.strip(): tuple(v) for k, v in model.aliases.items()},
        facts=facts,
        not_about=tuple(p.strip() for p in model.not_about if p.strip()),
        version=hashlib.sha256(text.encode("utf-8")).hexdigest()[:12],
        path=name,
    )


@cache
def load_language(folder: Path = LANGUAGES, codes: tuple[str, ...] = SPOKEN) -> Language:
    """The word lists of every language the bot speaks, merged into one `Language`."""
    commands = _pairs(folder, codes, "commands.txt")
    attributes = _pairs(folder, codes, "attributes.txt")
    kinds = _pairs(folder, codes, "kinds.txt")
    return Language(
        out_of_scope=tuple(_lines(folder / "en" / "out_of_scope.txt")),
        short_words=frozenset(_lines(folder / "en" / "short_words.txt")),
        greetings=_words(folder, codes, "greetings.txt"),
        thanks=_words(folder, codes, "thanks.txt"),
        commands={name: frozenset(phrases) for name, phrases in commands.items()},
        stopwords=_words(folder, codes, "stopwords.txt"),
        stopchars=_words(folder, codes, "stopchars.txt"),
        attributes={name: tuple(entries) for name, entries in attributes.items()},
        soft_attributes=_words(folder, codes, "soft_attributes.txt"),
        common_words=_words(folder, codes, "common_words.txt"),
        kinds={kind: tuple(entries) for kind, entries in kinds.items()},
        **_analysis_lists(folder, codes),
    )


def _analysis_lists(folder: Path, codes: tuple[str, ...]) -> dict[str, Any]:
    """The Analyzer's small grammar lists (articles, exclusions, 'which' words ...)."""
    same = _pairs(folder, codes, "same_words.txt")
    shorthand = _pairs(folder, codes, "shorthand.txt")
    not_asking = _pairs(folder, codes, "not_asking.txt")
    return {
        "articles": _words(folder, codes, "articles.txt"),
        "joiners": _words(folder, codes, "joiners.txt"),
        "same_words": {word: to[0] for word, to in same.items()},
        "shorthand": {word: to[0] for word, to in shorthand.items()},
        "exclusions": _ordered(folder, codes, "exclusions.txt"),
        "not_asking": {rule: frozenset(words) for rule, words in not_asking.items()},
        "auxiliaries": _words(folder, codes, "auxiliaries.txt"),
        "sources": _words(folder, codes, "sources.txt"),
        "possessives": _words(folder, codes, "possessives.txt"),
        "which_words": _words(folder, codes, "which_words.txt"),
        "focus_skip": _words(folder, codes, "focus_skip.txt"),
        "narrowing": _words(folder, codes, "narrowing.txt"),
        "follow_up_openers": _ordered(folder, codes, "follow_up_openers.txt"),
        "question_words": _ordered(folder, codes, "question_words.txt"),
        "question_joiners": _ordered(folder, codes, "question_joiners.txt"),
    }


def _pairs(folder: Path, codes: Iterable[str], name: str) -> dict[str, list[str]]:
    """`key: value` lines of every language's file, grouped by key, in file order."""
    found: dict[str, list[str]] = {}
    for code in codes:
        for line in _lines(folder / code / name):
            key, _, value = line.partition(":")
            entries = found.setdefault(key.strip(), [])
            if value.strip() not in entries:
                entries.append(value.strip())
    return found


def _ordered(folder: Path, codes: Iterable[str], name: str) -> tuple[str, ...]:
    """Every language's lines of a file, in file order, without repeats."""
    return tuple(dict.fromkeys(line for code in codes for line in _lines(folder / code / name)))


def _words(folder: Path, codes: Iterable[str], name: str) -> frozenset[str]:
    return frozenset(w for code in codes for w in _lines(folder / code / name))


def _lines(path: Path) -> list[str]:
    """A data file's lines, without blank lines and `#` comments (missing file: none)."""
    if not path.is_file():
        return []
    text = path.read_text(encoding="utf-8")
    return [line for line in text.splitlines() if line.strip() and not line.startswith("#")]

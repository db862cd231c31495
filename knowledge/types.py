"""The fact base and language data as frozen values: what the engine reads (no I/O here).

`knowledge/loader.py` builds them from files and validates them; `bot` imports only this
module, so the engine never reads a file.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

DEFAULT_BOT_NAME = ""
"""No name of its own: the bot then speaks of itself as "a question-and-answer bot"."""


@dataclass(frozen=True, slots=True)
class Fact:
    """One thing the fact base can say: its phrasings, its answer and where it comes from."""

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
    """The event a fact base is about; `bot_name` is what the bot calls itself (may be empty)."""

    name: str
    place: str
    description: str
    document: str
    bot_name: str = DEFAULT_BOT_NAME


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


@dataclass(frozen=True, slots=True)
class Language:
    """The word lists the engine needs besides a fact base (knowledge/language/, per language).

    `out_of_scope`: questions no event answers (the calibration's prior); `short_words`: real
    short words the speller leaves alone; `greetings`, `thanks`: chat that is not a question;
    `commands`: command name -> the phrases that ask for it ("help", "what can you do").
    The matcher's lists: `stopwords` carry no topic; `stopchars` are left out of Chinese
    character pairs; `attributes`: attribute class -> the words and phrases that ask for it
    (a name, a price, a date ...), in file order; `soft_attributes`: the classes facts often
    answer without naming them; `common_words`: everyday words, weak evidence either way.
    `articles` are left out of alias keys; `same_words`: word -> the word it counts as there;
    `shorthand`: a chat short form -> the word it stands for ('ppl' -> 'people'); `joiners`
    join the items of a list ('economic *and* military');
    `exclusions`: phrases that open a clause of what is not asked ('apart from'), in file order;
    `not_asking`: rule -> attribute words that may ask nothing (clause, saying, called, name,
    name_of, phrasal, phrasal_after, idiom), with `auxiliaries`, `sources`, `possessives` that
    decide it; `which_words` open a question for a thing, and `focus_skip` are skipped after
    them.
    `follow_up_openers` open a follow-up ('and in euros?'); `question_words` after a comma or
    one of `question_joiners` open a second question.
    `kinds`: class -> the words that show what kind of thing an answer holds (a currency, a
    month, 'years old' ...: knowledge/language/en/kinds.txt), in file order.
    `narrowing`: words or phrases that narrow a question to one occurrence or figure ('first',
    'exact', 'last year'); a fact that never says one does not answer a question that does.
    """

    out_of_scope: tuple[str, ...] = ()
    short_words: frozenset[str] = frozenset()
    greetings: frozenset[str] = frozenset()
    thanks: frozenset[str] = frozenset()
    commands: Mapping[str, frozenset[str]] = field(default_factory=dict)
    stopwords: frozenset[str] = frozenset()
    stopchars: frozenset[str] = frozenset()
    attributes: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    soft_attributes: frozenset[str] = frozenset()
    common_words: frozenset[str] = frozenset()
    articles: frozenset[str] = frozenset()
    same_words: Mapping[str, str] = field(default_factory=dict)
    shorthand: Mapping[str, str] = field(default_factory=dict)
    joiners: frozenset[str] = frozenset()
    exclusions: tuple[str, ...] = ()
    not_asking: Mapping[str, frozenset[str]] = field(default_factory=dict)
    auxiliaries: frozenset[str] = frozenset()
    sources: frozenset[str] = frozenset()
    possessives: frozenset[str] = frozenset()
    which_words: frozenset[str] = frozenset()
    focus_skip: frozenset[str] = frozenset()
    follow_up_openers: tuple[str, ...] = ()
    question_words: tuple[str, ...] = ()
    question_joiners: tuple[str, ...] = ()
    kinds: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    narrowing: frozenset[str] = frozenset()

"""The engine's replies that are not a search: commands, a fact's answer, its source.

Pure functions of the fact base (bot/engine.py calls them); no state, no I/O.
"""

from __future__ import annotations

from dataclasses import replace

from bot import messages
from bot.context import Turn
from bot.text import language
from bot.types import Answer, Outcome, Source
from knowledge.types import Fact, KnowledgeBase, Language


def fact_answer(knowledge: KnowledgeBase, fact: Fact, confidence: float, asked: str) -> Answer:
    """A fact's answer, in the language it was asked in when the fact has that translation."""
    text = fact.translations.get(language(asked), fact.answer)
    return Answer(
        Outcome.ANSWERED,
        text,
        fact_id=fact.id,
        confidence=confidence,
        source=source_of(knowledge, fact),
        has_more=bool(fact.more or fact.related),
    )


def source_of(knowledge: KnowledgeBase, fact: Fact) -> Source:
    return Source(knowledge.event.document, fact.paragraph, fact.quote)


def command_named(lang: Language, said: str) -> str | None:
    """The command whose phrases include `said` (already cleaned to its words), if any."""
    return next((name for name, phrases in lang.commands.items() if said in phrases), None)


def command(knowledge: KnowledgeBase, name: str, last: Turn | None) -> Answer:
    """The reply to a command: help, about, topics, or source and more of the last fact."""
    kb = knowledge
    if name == "help":
        example = kb.facts[0].questions[0]
        return Answer(Outcome.COMMAND, messages.help_text(kb.event, example))
    if name == "about":
        about = messages.about_text(kb.event, facts=len(kb.facts), version=kb.version)
        return Answer(Outcome.COMMAND, about)
    if name == "topics":
        return Answer(Outcome.COMMAND, messages.topics_text(kb.event, topics(kb)))
    fact = _fact(kb, last.fact_id) if last and last.fact_id else None
    if fact is None:
        return Answer(Outcome.COMMAND, messages.NOTHING_BEFORE)
    if name == "source":
        text = messages.source_text(kb.event, fact)
    else:
        text = fact.more or messages.NO_MORE
    return replace(
        fact_answer(kb, fact, 1.0, ""), outcome=Outcome.COMMAND, text=text, has_more=False
    )


def topics(knowledge: KnowledgeBase) -> list[tuple[str, list[Fact]]]:
    groups: dict[str, list[Fact]] = {}
    for fact in knowledge.facts:
        groups.setdefault(fact.topic, []).append(fact)
    return list(groups.items())


def may_follow(reply: Answer, said: str, openers: tuple[str, ...]) -> bool:
    """Nothing matched on its own, or it opens like a follow-up ('and in euros?'): `openers`
    are the language's follow-up openers, each with its trailing space."""
    if reply.outcome is Outcome.ANSWERED:
        return False
    return reply.outcome is Outcome.ABSTAINED or said.startswith(openers)


def _fact(knowledge: KnowledgeBase, fact_id: str) -> Fact | None:
    return next((f for f in knowledge.facts if f.id == fact_id), None)

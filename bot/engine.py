"""The answer engine: one call, `Engine.answer(question) -> Answer`, for every platform.

    engine = Engine(load_knowledge("knowledge/summit.yaml"), load_language())  # knowledge.loader
    engine.answer(Question("who skipped the forum?")).text

It never raises for any question text and keeps no state between questions: the caller hands
it the conversation's last turn (bot/context.py), so that "source", "more", "2" (a suggestion)
and short follow-ups know what they refer to. operations/live.py keeps those turns.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from itertools import pairwise

from rapidfuzz import fuzz

from bot import messages, replies
from bot.context import Turn
from bot.matching.analysis import Analysis, Analyzer, for_event
from bot.matching.calibration import RANK_LIMIT, Scorer, Search, fit_scorer
from bot.matching.decision import confidence, decide, gated, near
from bot.matching.index import Index
from bot.matching.match import Match, Tuning
from bot.matching.semantic import Embedder, Remembering
from bot.text import clean, language, sentences, words
from bot.types import Answer, Outcome, Question, Suggestion
from knowledge.types import Fact, KnowledgeBase, Language

MAX_SUGGESTIONS = 3
MAX_SEGMENTS = 16
QUESTION_MARKS = ("?", "？", "؟")
SECOND_PART_SHARE = 0.15  # of the question's weight, that only the runner-up covers


class Engine:
    """Answers questions from one fact base. Build once; `answer` is cheap and never raises.

    `embedder` adds nearness in meaning (bot/semantic.py); `scorer` is the ranker and
    confidence fitted on this fact base (bot/calibration.py), fitted here when not given:
    pass `engine.scorer` back in (or `Scorer.from_dict` of a cached copy) to skip the fit.
    """

    def __init__(
        self,
        knowledge: KnowledgeBase,
        language: Language,
        *,
        tuning: Tuning | None = None,
        embedder: Embedder | None = None,
        scorer: Scorer | None = None,
    ) -> None:
        self.knowledge = knowledge
        self.language = for_event(language, knowledge.event)
        self._two_questions = _two_questions(language)
        self._openers = tuple(f"{w} " for w in language.follow_up_openers)
        self.tuning = tuning or Tuning()
        self.embedder = embedder
        self._embed_once = Remembering(embedder) if embedder is not None else None
        self._facts = {f.id: f for f in knowledge.facts}
        self._analyzer, self._index = self._build(knowledge)
        self._exact = _own_phrasings(knowledge)
        self.scorer = scorer or fit_scorer(
            knowledge, self._raw_search, out_of_scope=language.out_of_scope, gated=gated
        )
        if self._embed_once is not None:
            self._embed_once.forget()

    def _build(self, knowledge: KnowledgeBase) -> tuple[Analyzer, Index]:
        texts = [t for f in knowledge.facts for t in _fact_texts(f)]
        analyzer = Analyzer(
            knowledge.aliases,
            texts,
            not_about=knowledge.not_about,
            language=self.language,
        )
        index = Index(knowledge, analyzer, tuning=self.tuning, embedder=self._embed_once)
        return analyzer, index

    def _raw_search(self, knowledge: KnowledgeBase) -> Search:
        analyzer, index = (
            (self._analyzer, self._index) if knowledge is self.knowledge else self._build(knowledge)
        )
        return lambda text: index.search(analyzer.analyze(text), limit=RANK_LIMIT)

    def answer(self, question: Question, last: Turn | None = None) -> Answer:
        """The reply to one question; `last` is the conversation's last turn (bot/context.py),
        for "source", "more", "2" and short follow-ups. Never raises, stores nothing."""
        if last is not None and not self._knows(last):
            last = None  # it points at a fact this fact base no longer has (a reload)
        return self._reply(question, last)

    def _knows(self, turn: Turn) -> bool:
        ids = [turn.fact_id, *turn.suggestions] if turn.fact_id else list(turn.suggestions)
        return all(i in self._facts for i in ids)

    def search(self, text: str, *, limit: int = 5) -> list[Match]:
        """The best-scoring facts for a text, best first (scores in [0, 1]).

        A long message is scored sentence by sentence (and in pairs); each fact keeps its best
        sentence's score, then the whole message's words break ties between them. When its
        last question, read alone or with the sentence before it, is surer, that reading
        counts: 'Quick context: I work in logistics. What does it say about how goods move?'
        """
        parts = sentences(clean(text))
        ranked = {c: self._rank(a) for c, a in self._segments(parts).items()}
        best: dict[str, Match] = {}
        for matches in ranked.values():
            for match in matches[:limit]:
                if match.fact_id not in best or match.score > best[match.fact_id].score:
                    best[match.fact_id] = match
        found = sorted(best.values(), key=lambda m: -m.score)[:limit]
        if len(ranked) > 1 and found:
            found = self._index.in_context(found, self._analyzer.analyze(text))
        found = self._exact_first(text, found)
        sure = confidence(found, self.scorer)
        for reading in self._last_question(parts):
            matches = (ranked[reading] if reading in ranked else self._ranked(reading))[:limit]
            if (surer := confidence(matches, self.scorer)) > sure:
                found, sure = matches, surer
        return found

    def _ranked(self, text: str) -> list[Match]:
        """Ranked matches for a text not among the segments (cut from a very long message)."""
        analysis = self._analyzer.analyze(text)
        return self._rank(analysis) if analysis.terms else []

    def _rank(self, analysis: Analysis) -> list[Match]:
        return self.scorer.rank(self._index.search(analysis, limit=RANK_LIMIT))

    def _exact_first(self, text: str, found: list[Match]) -> list[Match]:
        """A question word for word one of a fact's own phrasings (and no other fact's) is
        that fact's: the organiser wrote it for that fact."""
        fact_id = self._exact.get(_key(text))
        if not fact_id or not found or found[0].fact_id == fact_id:
            return found
        exact = next((m for m in found if m.fact_id == fact_id), None)
        if exact is None:
            return found
        top = replace(exact, score=max(exact.score, found[0].score))
        return [top, *(m for m in found if m.fact_id != fact_id)]

    def complete(self, prefix: str, *, limit: int = 25) -> tuple[Suggestion, ...]:
        """Questions from the fact base that match what someone is typing (autocomplete).

        Questions of the best-matching facts, the ones closest to what was typed first, in the
        language it is typed in; a half-typed last word is finished from the fact base.
        """
        lang = language(prefix)
        if not words(clean(prefix)):
            firsts = (f for f in self.knowledge.facts if language(f.questions[0]) == lang)
            return tuple(Suggestion(f.id, f.questions[0]) for f in firsts)[:limit]
        prefix = self._analyzer.complete_last_word(clean(prefix).casefold())
        typed = " ".join(words(prefix))
        closeness = fuzz.partial_ratio
        scored = [
            (m.score * (100 + closeness(typed, q.casefold())), Suggestion(m.fact_id, q))
            for m in self.search(prefix, limit=limit)
            for q in self._facts[m.fact_id].questions
            if language(q) == lang
        ]
        scored.sort(key=lambda pair: pair[0], reverse=True)
        return tuple(suggestion for _, suggestion in scored[:limit])

    # -- replies -------------------------------------------------------------------------------

    def _reply(self, question: Question, last: Turn | None) -> Answer:
        if question.fact_id is not None:
            return self._about_fact(question.fact_id, question.text)
        said = " ".join(words(clean(question.text)))
        if not said:
            return Answer(Outcome.ABSTAINED, messages.EMPTY.format(event=self.knowledge.event.name))
        command = replies.command_named(self.language, said)
        if command is not None:
            return replies.command(self.knowledge, command, last)
        if last is not None and said.isdigit() and 1 <= int(said) <= len(last.suggestions):
            return self._fact_answer(self._facts[last.suggestions[int(said) - 1]], 1.0, said)
        if set(said.split()) <= self.language.greetings:
            if set(said.split()) & self.language.thanks:
                return Answer(Outcome.COMMAND, messages.THANKS)
            greeting = messages.GREETING.format(event=self.knowledge.event.name)
            return Answer(Outcome.COMMAND, greeting)
        reply = self._match(question.text)
        if last is not None and last.fact_id and replies.may_follow(reply, said, self._openers):
            return self._follow_up(question.text, last.fact_id, last.question) or reply
        return reply

    def _follow_up(self, text: str, last_fact: str, last_question: str) -> Answer | None:
        """'and in euros?': a short question that only makes sense after the last answer.

        Read together with the last question, it may answer that fact or one near it, never
        a fact on another subject.
        """
        if not self._index.is_follow_up(self._analyzer.analyze(text)):
            return None
        joined = re.sub(r"[.!?;:。！？]+", " ", f"{last_question} {text}")  # one sentence
        reply = self._match(joined)
        if reply.outcome is Outcome.ANSWERED and reply.fact_id in self._near(last_fact):
            return reply
        return None

    def _near(self, fact_id: str) -> set[str]:
        fact = self._facts[fact_id]
        same_topic = {f.id for f in self.knowledge.facts if f.topic == fact.topic}
        return {fact_id, *fact.related, *same_topic}

    def _match(self, text: str) -> Answer:
        found = self.search(text, limit=RANK_LIMIT)
        outcome, sure = decide(found, self.scorer, self.tuning)
        if outcome is Outcome.ABSTAINED:
            return Answer(Outcome.ABSTAINED, messages.ABSTAIN)
        second = self._second_part(text, found)
        if outcome is Outcome.ANSWERED or (second and sure >= self.scorer.answer_at / 2):
            answer = self._fact_answer(self._facts[found[0].fact_id], round(sure, 3), text)
            if len(found) > 1:
                lead = round(found[0].score - found[1].score, 3)
                answer = replace(answer, runner_up=found[1].fact_id, lead=lead)
            if second is None:
                return answer
            also = self._fact_answer(self._facts[second], round(sure, 3), text)
            return replace(answer, text=f"{answer.text}\n{also.text}")
        found = [m for m in found if near(m, self.tuning)]
        options = tuple(
            Suggestion(m.fact_id, self._facts[m.fact_id].questions[0])
            for m in found[:MAX_SUGGESTIONS]
        )
        labels = [s.question for s in options]
        said = messages.not_said(labels) if found[0].off_point else messages.did_you_mean(labels)
        return Answer(Outcome.SUGGESTED, said, confidence=round(sure, 3), suggestions=options)

    def _asks_two(self, text: str) -> bool:
        pattern = self._two_questions
        return pattern is not None and pattern.search(clean(text).casefold()) is not None

    def _second_part(self, text: str, found: list[Match]) -> str | None:
        """'Which companies were they, and where is the Chinese one?': two questions in one.

        When the message asks two things and the runner-up fact answers the part the best one
        leaves out, it is answered too.
        """
        if len(found) < 2 or not self._asks_two(text):
            return None
        best, runner_up = found[0], found[1]
        if any(m.off_point or m.evidence < 1.0 for m in (best, runner_up)):
            return None
        if not near(runner_up, self.tuning):
            return None
        extra = self._index.adds(best.fact_id, runner_up.fact_id, self._analyzer.analyze(text))
        return runner_up.fact_id if extra >= SECOND_PART_SHARE else None

    def _about_fact(self, fact_id: str, text: str) -> Answer:
        fact = self._facts.get(fact_id)
        if fact is None:
            return Answer(Outcome.ABSTAINED, messages.UNKNOWN_FACT)
        command = replies.command_named(self.language, " ".join(words(clean(text))))
        if command in ("source", "more"):
            return replies.command(self.knowledge, command, Turn(fact_id, ""))
        return self._fact_answer(fact, 1.0, text)

    def _fact_answer(self, fact: Fact, confidence: float, asked: str) -> Answer:
        return replies.fact_answer(self.knowledge, fact, confidence, asked)

    def _last_question(self, parts: list[str]) -> list[str]:
        """A message's last question (a sentence ending in '?'), alone and with the sentence
        before it; none when the message is one sentence, or that question asks two things
        (answered part by part from the whole message: `_second_part`)."""
        asked = [i for i, part in enumerate(parts) if part.rstrip().endswith(QUESTION_MARKS)]
        if len(parts) < 2 or not asked or self._asks_two(parts[asked[-1]]):
            return []
        i = asked[-1]
        return [parts[i], *([f"{parts[i - 1]} {parts[i]}"] if i else [])]

    def _segments(self, parts: list[str]) -> dict[str, Analysis]:
        """The whole text when short, else its sentences and pairs of neighbouring sentences,
        by their text (those with words to look for)."""
        if len(parts) > MAX_SEGMENTS:
            parts = parts[:4] + parts[-(MAX_SEGMENTS - 4) :]
        candidates = [*parts, *(f"{a} {b}" for a, b in pairwise(parts))]
        if len(parts) <= 3:
            candidates.append(" ".join(parts))
        analyses = {c: self._analyzer.analyze(c) for c in dict.fromkeys(candidates)}
        return {c: a for c, a in analyses.items() if a.terms}


def _two_questions(language: Language) -> re.Pattern[str] | None:
    """', and where ...': a comma or a joiner, then a question word (None: no such words)."""
    if not language.question_words:
        return None
    joiners = "|".join(map(re.escape, language.question_joiners))
    asks = "|".join(map(re.escape, language.question_words))
    return re.compile(rf"(?:,|\b(?:{joiners}))\s+(?:{asks})\b" if joiners else rf",\s+(?:{asks})\b")


def _key(text: str) -> str:
    return " ".join(words(clean(text)))


def _own_phrasings(knowledge: KnowledgeBase) -> dict[str, str]:
    """Each phrasing (as its words) -> the fact it belongs to, when only one fact has it."""
    owners: dict[str, set[str]] = {}
    for fact in knowledge.facts:
        for phrasing in fact.questions:
            owners.setdefault(_key(phrasing), set()).add(fact.id)
    return {key: ids.pop() for key, ids in owners.items() if len(ids) == 1 and key}


def _fact_texts(fact: Fact) -> Iterator[str]:
    yield from fact.questions
    yield from fact.keywords
    yield from (fact.answer, fact.more, fact.topic)
    yield from fact.translations.values()

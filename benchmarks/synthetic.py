"""Synthetic fact bases of any size, and questions against them, for the speed benchmark.

    kb = synthetic_knowledge(30_000, seed=1)        # the summit facts + generated ones
    questions = synthetic_questions(kb, 300, seed=2)

A generated fact looks like what a large conference's organisers write: a subject ("the
quantum ledger workshop"), one thing asked about it (when, where, who, cost, count, why) in
6-14 phrasings, keywords and a one-sentence answer. Subject and answer words come from a pool
of real words (the summit fact base and eval files) and made-up words, drawn with a Zipf law,
so some terms are in thousands of facts and most in a few: postings lists look like a real
index's, not all the same length. The summit facts and aliases are kept, so the real eval
questions still have their answers in every size.

Everything is deterministic for a seed.
"""

from __future__ import annotations

import bisect
import dataclasses
import functools
import itertools
import json
import random
import re
from pathlib import Path

import knowledge.loader
from bot import Fact, KnowledgeBase
from knowledge.loader import load_knowledge

ROOT = Path(__file__).resolve().parent.parent
_WORD = re.compile(r"[a-z]{3,}")

KINDS = (
    "workshop keynote panel session talk dinner tour meetup demo exhibition briefing "
    "roundtable seminar masterclass reception hackathon breakfast lecture screening forum"
).split()
DAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()
# Asked attribute -> (question templates, answer template); {s} is the subject.
TEMPLATES: dict[str, tuple[tuple[str, ...], str]] = {
    "when": (
        (
            "When is the {s}?",
            "what time does the {s} start",
            "{s} time?",
            "What day is the {s} on?",
            "when does the {s} take place",
            "{s} schedule",
            "is the {s} in the morning or the afternoon?",
            "When can I go to the {s}?",
        ),
        "The {s} is on {day} at {hour}:00.",
    ),
    "where": (
        (
            "Where is the {s}?",
            "which room is the {s} in",
            "{s} location",
            "Where can I find the {s}?",
            "how do I get to the {s}",
            "where does the {s} happen",
            "{s} venue?",
        ),
        "The {s} is in the {w1} hall, room {n}.",
    ),
    "who": (
        (
            "Who runs the {s}?",
            "who is speaking at the {s}",
            "{s} speaker",
            "Who leads the {s}?",
            "who is hosting the {s}",
            "Who presents the {s}?",
        ),
        "The {s} is led by {name}, from the {w1} {w2} group.",
    ),
    "cost": (
        (
            "How much is the {s}?",
            "what does the {s} cost",
            "{s} price",
            "Is the {s} free?",
            "ticket price for the {s}",
            "how much do I pay for the {s}",
        ),
        "The {s} costs {n} euros, {w1} {w2} included.",
    ),
    "count": (
        (
            "How many seats are there at the {s}?",
            "how many people can attend the {s}",
            "{s} capacity",
            "how big is the {s}",
            "How many places does the {s} have?",
        ),
        "The {s} has {n} seats.",
    ),
    "why": (
        (
            "Why is there a {s}?",
            "what is the {s} for",
            "what is the point of the {s}",
            "{s} purpose",
            "Why should I attend the {s}?",
            "what is the {s} about",
        ),
        "The {s} is about {w1} and {w2} for {w3} teams.",
    ),
}
_SYLLABLES = [c + v for c in "bdfgklmnprstvz" for v in "aeiou"] + ["ch", "sh", "th", "qu"]


class WordPool:
    """Real words first, then made-up ones; `draw` picks by a Zipf law over that order."""

    def __init__(self, rng: random.Random, *, made_up: int = 60_000, exponent: float = 1.05):
        self.words = list(_real_words())
        rng.shuffle(self.words)
        seen = set(self.words)
        target = len(self.words) + made_up
        while len(self.words) < target:
            word = "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4)))
            if word not in seen:
                seen.add(word)
                self.words.append(word)
        weights = [1 / (rank + 3) ** exponent for rank in range(len(self.words))]
        self._cumulative = list(itertools.accumulate(weights))
        self._rng = rng

    def draw(self) -> str:
        at = self._rng.random() * self._cumulative[-1]
        return self.words[bisect.bisect(self._cumulative, at)]

    def rare(self) -> str:
        """A word from the long tail (a name, a product, a place)."""
        return self.words[self._rng.randrange(len(self.words) // 2, len(self.words))]


@functools.lru_cache(maxsize=1)
def _real_words() -> tuple[str, ...]:
    texts = [(ROOT / "knowledge" / "summit.yaml").read_text(encoding="utf-8")]
    for path in (ROOT.parent / "shared" / "eval" / "dev.jsonl", ROOT / "tests" / "eval"):
        files = sorted(path.glob("*.jsonl")) if path.is_dir() else [path]
        texts += [p.read_text(encoding="utf-8") for p in files if p.exists()]
    return tuple(sorted(set(_WORD.findall(" ".join(texts).casefold()))))


def synthetic_knowledge(phrasings: int, *, seed: int = 1) -> KnowledgeBase:
    """The summit fact base plus generated facts, about `phrasings` phrasings in all."""
    summit = load_knowledge(knowledge.loader.DEFAULT)
    rng = random.Random(seed)
    pool = WordPool(rng, made_up=min(80_000, max(5_000, phrasings // 3)))  # vocabulary grows
    facts = list(summit.facts)
    total = sum(len(f.questions) for f in facts)
    used: set[str] = set()
    for number in itertools.count(1):
        if total >= phrasings:
            break
        fact = _fact(number, rng, pool, used, summit.facts[-1])
        facts.append(fact)
        total += len(fact.questions)
    return dataclasses.replace(summit, facts=tuple(facts), version=f"synthetic-{phrasings}-{seed}")


def _make_fact(template: Fact, **values: object) -> Fact:
    """A Fact with these values, any field the engine adds later taken from `template`."""
    known = {f.name for f in dataclasses.fields(Fact)}
    return dataclasses.replace(template, **{k: v for k, v in values.items() if k in known})


def _fact(
    number: int, rng: random.Random, pool: WordPool, used: set[str], base: Fact
) -> Fact:
    while True:
        words = [pool.draw() for _ in range(rng.choice((1, 2, 2, 3)))]
        if rng.random() < 0.5:
            words.insert(0, pool.rare())
        subject = " ".join([*words, rng.choice(KINDS)])
        if subject not in used:
            used.add(subject)
            break
    asked = rng.choice(list(TEMPLATES))
    templates, answer = TEMPLATES[asked]
    count = rng.randint(6, 14)
    shuffled = rng.sample(templates, len(templates))
    questions = []
    for i in range(count):
        template = shuffled[i % len(shuffled)]
        variant = subject
        if i >= len(shuffled):  # organisers repeat a form with the subject said another way
            variant = " ".join([*rng.sample(words, len(words)), subject.split()[-1]])
            if len(words) > 1 and rng.random() < 0.5:
                variant = " ".join([rng.choice(words), subject.split()[-1]])
        questions.append(template.format(s=variant))
    values = {
        "s": subject,
        "day": rng.choice(DAYS),
        "hour": rng.randint(8, 20),
        "n": rng.randint(2, 900),
        "name": f"{pool.rare().title()} {pool.rare().title()}",
        "w1": pool.draw(),
        "w2": pool.draw(),
        "w3": pool.draw(),
    }
    text = answer.format(**values)
    return _make_fact(
        base,
        id=f"synthetic_{number:06d}",
        topic=f"Track {pool.draw().title()}",
        questions=tuple(dict.fromkeys(questions)),
        answer=text[0].upper() + text[1:],
        more="",
        keywords=(subject.split()[-1] + " " + words[-1], *words[:1]),
        translations={},
        paragraph=1,
        quote=subject,
        related=(),
    )


CASUAL = ("", "", "", "hey ", "quick q: ", "anyone know ", "sorry, ", "yo ")


def synthetic_questions(kb: KnowledgeBase, count: int, *, seed: int = 2) -> list[str]:
    """Questions as people type them: a third real eval questions, a third about generated
    facts (a typo, a casual opening, words dropped or reordered), a third that no fact
    answers. All distinct, so nothing is answered from a warm cache.
    """
    rng = random.Random(seed)
    real = _eval_questions()
    generated = [f for f in kb.facts if f.id.startswith("synthetic_")] or list(kb.facts)
    pool = WordPool(random.Random(seed + 1), made_up=2_000)
    out: list[str] = []
    seen: set[str] = set()
    while len(out) < count:
        kind = len(out) % 3
        if kind == 0 and real:
            q = real[len(out) // 3 % len(real)]
            if q in seen:
                q = _typo(q, rng)
        elif kind == 1:
            fact = rng.choice(generated)
            q = rng.choice(CASUAL) + _perturb(rng.choice(fact.questions), rng)
        else:
            words = [pool.rare() if rng.random() < 0.5 else pool.draw() for _ in range(4)]
            q = rng.choice(("what about the {}?", "where is {}", "{} when?", "who did {}"))
            q = q.format(" ".join(words[: rng.randint(2, 4)]))
        if q not in seen:
            seen.add(q)
            out.append(q)
    return out


def _eval_questions() -> list[str]:
    paths = [ROOT.parent / "shared" / "eval" / "dev.jsonl", ROOT / "tests" / "eval" / "extra.jsonl"]
    found = []
    for path in paths:
        if path.exists():
            lines = path.read_text(encoding="utf-8").splitlines()
            found += [json.loads(line)["q"] for line in lines if line.strip()]
    return found


def _perturb(question: str, rng: random.Random) -> str:
    words = question.split()
    roll = rng.random()
    if roll < 0.4:
        return _typo(question, rng)
    if roll < 0.6 and len(words) > 3:
        del words[rng.randrange(len(words))]
    elif roll < 0.8:
        rng.shuffle(words)
    return " ".join(words).lower()


def _typo(text: str, rng: random.Random) -> str:
    words = text.split()
    long = [i for i, w in enumerate(words) if len(w) >= 5 and w.isalpha()]
    if not long:
        return text + "?"
    i = rng.choice(long)
    w = words[i]
    at = rng.randrange(1, len(w) - 1)
    edits = (
        w[:at] + w[at + 1 :],  # a dropped letter
        w[:at] + w[at + 1] + w[at] + w[at + 2 :],  # two letters swapped
        w[:at] + rng.choice("aeiourstn") + w[at:],  # an extra letter
    )
    words[i] = rng.choice(edits)
    return " ".join(words)

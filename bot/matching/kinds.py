"""What kinds of thing an answer holds: a number, an amount of money, a time, a name ...

A question that asks for one of these (the attribute words of
knowledge/language/*/attributes.txt: "how much", "when" ...) is answered only by a fact that
covers it: its own phrasings ask the same way, or its answer holds that kind of thing. The
second matters for a fact base written quickly: "what does the plant cost?" may meet a fact
whose three phrasings never said "cost" but whose answer says "$500 million".

The words ("dollars", "March", "years old" ...) come from the Language
(knowledge/language/*/kinds.txt); digits, currency signs, % and 12:30 are seen in any language.

    kinds = Kinds.of(language)
    kinds.seen_in("Trade rose to $108 billion in 2018.")  # {'money', 'number', 'time'}
    kinds.counted("Labour won 232 seats.")  # ['seats']: meets 'how many seats'
    naming_words("The spokesman, Dmitry Peskov, said it.", articles)  # ['spokesman']
    answerable(frozenset({'money'}), asked=frozenset(), held=kinds.seen_in(answer))
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from bot.text import sentences, words, words_with_case
from knowledge.types import Language

_SIGN = "[$€£¥₽]"
_DIGITS = r"\d(?:[\d,.]*\d)?"
_TEMPLATES: dict[str, tuple[str, ...]] = {
    "number": ("<number>",),
    "money": (
        rf"{_SIGN}\s?\d",
        rf"\d\s?{_SIGN}",
        r"<number>[\s-]*<scale>\s*<currency>\b",
        r"\b<money>\b",
    ),
    "time": (
        r"\b(?:1[5-9]\d\d|20\d\d)s?\b",
        r"\b\d{1,2}:\d{2}\b",
        r"\b(?=(?-i:[A-Z]))<time>\.?\s+\d{1,2}(?:st|nd|rd|th)?\b",  # 'Jan. 18': a day, no count
        r"\b\d{1,2}(?:st|nd|rd|th)?\s+<time>\b",  # '18 January'
        r"\b<time>\b",
        r"\b<period_opener> <period>\b",
    ),
    "duration": (
        r"<number>[\s-]+<unit_of_time>\b",
        r"\b\d{1,2}:\d{2}(?::\d{2})?\b",
        r"\b<single>\s+<unit_of_time>\b",
    ),
    "age": (
        r"<number>[\s-]+<age_after_number>",
        r"\b<age_before_number> \d",
        r"\b<age>\b",
        r"(?-i:[A-Z][^\W\d_]+), \d{1,2},",  # 'Officer Wilbert Mora, 27, and ...'
    ),
    "share": (r"<number>\s*<share_after_number>", r"\b<share>\b"),
    "approximate": (  # 'about 500', '17,000 to 29,000': a figure, not an exact one
        rf"\b<approximate>\s+(?:{_SIGN}\s?)?<number>",
        rf"\d\s*(?:<scale>\s*)?(?:\b<range>\b|–)\s*(?:{_SIGN}\s?)?\d",
    ),
    "reason": (r"\b<reason>\b", r",\s+<reason_after_comma>\b"),  # 'because', ', so it'
    "clock": (
        r"\b\d{1,2}:\d{2}\b",
        r"<number>\s?<clock_after_number>(?!\w)",
        r"\b<clock>\b",
    ),
}
"""Each kind's patterns; `<class>` stands for the words of that class in kinds.txt. A pattern
whose words a Language lacks is left out: without the file only digits and signs are seen."""
_CLASS = re.compile(r"<(\w+)>")
_LETTERS = re.compile(r"[^\W\d_]+")
_QUALIFIERS = frozenset({"number", "approximate"})  # say how a number is given, not what it is
_NOT_AMOUNTS = _QUALIFIERS | {"reason"}  # a cause beside a number is not part of it
COUNTED_WORDS = 2  # words after a number that may say what it counts: 'nine respiratory cancers'


def _pieces(words: Mapping[str, tuple[str, ...]]) -> dict[str, str]:
    """Each class's words as one escaped regex group: '(?:dollar|dollars|...)'; `number` also
    takes digits, `share_after_number` also '%', and `scale` is optional."""
    pieces = {c: f"(?:{'|'.join(map(re.escape, e))})" for c, e in words.items() if e}
    if "age_after_number" in pieces:  # 34 years old, 34-year-old
        joined = (r"[\s-]+".join(map(re.escape, e.split())) for e in words["age_after_number"])
        pieces["age_after_number"] = f"(?:{'|'.join(joined)})"
    words_too = rf"|\b{pieces['number']}\b" if "number" in pieces else ""  # 5, five
    pieces["number"] = f"(?:{_DIGITS}{words_too})"
    pieces["scale"] = pieces["scale"] + "?" if "scale" in pieces else ""  # 5 billion dollars
    share_words = [re.escape(w) for w in words.get("share_after_number", ())]
    pieces["share_after_number"] = f"(?:{'|'.join(['%', *share_words])})"
    return pieces


def _compiled(templates: tuple[str, ...], pieces: dict[str, str]) -> re.Pattern[str] | None:
    kept = [t for t in templates if all(c in pieces for c in _CLASS.findall(t))]
    filled = [_CLASS.sub(lambda m: pieces[m.group(1)], t) for t in kept]
    return re.compile("|".join(filled), re.I) if filled else None


@dataclass(frozen=True, slots=True)
class Kinds:
    """The patterns that see each kind of thing in a text, built once per Language."""

    patterns: Mapping[str, re.Pattern[str]]

    @classmethod
    def of(cls, language: Language) -> Kinds:
        pieces = _pieces(language.kinds)
        found = {kind: _compiled(templates, pieces) for kind, templates in _TEMPLATES.items()}
        return cls({kind: pattern for kind, pattern in found.items() if pattern is not None})

    def seen_in(self, text: str) -> frozenset[str]:
        """The kinds of thing `text` holds."""
        return frozenset(kind for kind, pattern in self.patterns.items() if pattern.search(text))

    def counted(self, text: str) -> list[str]:
        """The words right after each number of `text` that is no amount, time, duration,
        share or age: what it counts ('331 seats', 'thirty million barrels of oil')."""
        number = self.patterns.get("number")
        if number is None:
            return []
        other = (p for kind, p in self.patterns.items() if kind not in _NOT_AMOUNTS)
        taken = [m.span() for p in other for m in p.finditer(text)]
        found: list[str] = []
        for m in number.finditer(text):
            if any(start <= m.end() and m.start() <= end + 1 for start, end in taken):
                taken.append(m.span())  # '$500 *million*': one amount, however it is written
                continue
            after = _LETTERS.findall(text[m.end() : m.end() + 60])
            found += [w for w in after if not number.fullmatch(w)][:COUNTED_WORDS]
        return found


NAMED_WINDOW = 3  # words either side of a name that may say what it names


def naming_words(answer: str, articles: frozenset[str]) -> list[str]:
    """The words near each name of `answer` (two or more capitalised words: a person's), in
    its part of the sentence, that may say what it names: 'press *spokesman* Dmitry Peskov';
    past a comma when an article follows it, 'Jon Huntsman, the US *ambassador*', or when the
    name is all that follows it, 'the US *ambassador* to Russia, Jon Huntsman'. One
    capitalised word is too often a party or a place ('a 20 year old SNP candidate')."""
    found: list[str] = []
    for sentence in sentences(answer):
        parts = [words_with_case(p) for p in sentence.split(",")]
        for k, part in enumerate(parts):
            following = parts[k + 1] if k + 1 < len(parts) else []
            before = parts[k - 1] if k else []
            for start, end in _name_runs(part):
                after = part[end:] or (following if _opens(following, articles) else [])
                ahead = part[:start] or (before if end == len(part) else [])
                near = ahead[-NAMED_WINDOW:] + after[: NAMED_WINDOW + 1]
                found += [w for w in near if w.isalpha() and not w[:1].isupper()]
    return found


def listed_words(answer: str, joiners: frozenset[str], articles: frozenset[str]) -> list[str]:
    """The words that a joiner links to another item of a list: 'economic *and* military
    ties' gives both. An article after the joiner is passed over ('the US and *the* EU')."""
    found: list[str] = []
    for sentence in sentences(answer):
        run = [w for w in words(sentence) if w not in articles]
        for i, word in enumerate(run[1:-1], start=1):
            if word in joiners:
                found += [run[i - 1], run[i + 1]]
    return found


def _opens(words: list[str], articles: frozenset[str]) -> bool:
    return bool(words) and words[0].casefold() in articles


def _name_runs(run: list[str]) -> list[tuple[int, int]]:
    """Where two or more capitalised words follow each other: (start, end) of each."""
    spans, start = [], None
    for i, word in enumerate([*run, ""]):
        if word[:1].isupper():
            start = i if start is None else start
        else:
            if start is not None and i - start >= 2:
                spans.append((start, i))
            start = None
    return spans


_ANSWERED_BY: dict[str, frozenset[str]] = {
    "money": frozenset({"money"}),
    "duration": frozenset({"duration"}),
    "share": frozenset({"share"}),
    "age": frozenset({"age"}),
    "clock": frozenset({"clock"}),
    "schedule": frozenset({"clock"}),
    "rank": frozenset({"number"}),
    "reason": frozenset({"reason"}),
}
"""For each attribute that can be seen in text, the kinds in an answer that hold it. A name,
a place, a count or a date cannot: nearly every answer names someone or somewhere, a number
("a $500 million plant") rarely counts what "how many workers" asks, and "this week" in an
answer does not date another event ("when did Putin visit Beijing?"). A clock time can: "the
polls closed at 10pm" says what time voting ended; a number says a rank ("10th"); and
"because" or ", so" gives a reason ("the blades were damaged, so it can no longer fly"). A count
and a name are met question by question instead: `Kinds.counted` and `naming_words`."""


_FIGURES = frozenset({"count", "money", "share", "duration", "age", "rank", "time", "size"})
"""Attributes asking for a figure: 'exactly how many' asks an exact one."""


def _exact(attributes: frozenset[str], held: frozenset[str]) -> bool:
    """'Exactly how many ...' is met by an answer whose figures are exact ('72 flights'), not
    by one that gives an estimate or a range ('17,000 to 29,000'); 'what exactly did they
    sign' asks for no figure, so any answer meets it."""
    return "approximate" not in held or not attributes & _FIGURES


def answerable(
    attributes: frozenset[str],
    *,
    asked: frozenset[str],
    held: frozenset[str],
    met: frozenset[str] = frozenset(),
) -> frozenset[str]:
    """Of the question `attributes`, those this fact can answer: its phrasings ask the same
    (`asked`), or its answer holds that kind of thing (`held`, from `Kinds.seen_in`), or it
    meets them for this question (`met`: a count of what is asked for, '30 million barrels';
    a name beside the word asked about, 'press spokesman Dmitry Peskov').

    Measured on the summit's eval sets, also vetoing a fact whose phrasings ask "when" but
    whose answer shows no time lost right answers ("signed during Xi's visit"): the answer
    text meets an attribute, it does not take one away.
    """
    return frozenset(
        a
        for a in attributes
        if a in asked
        or a in met
        or _ANSWERED_BY.get(a, frozenset()) & held
        or (a == "exact" and _exact(attributes, held))
    )

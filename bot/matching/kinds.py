"""What kinds of thing an answer holds: a number, an amount of money, a time, a name ...

A question that asks for one of these (the attribute words of
knowledge/language/*/attributes.txt: "how much", "when" ...) is answered only by a fact that
covers it: its own phrasings ask the same way, or its answer holds that kind of thing. The
second matters for a fact base written quickly: "what does the plant cost?" may meet a fact
whose three phrasings never said "cost" but whose answer says "$500 million".

    kinds_in("Trade rose to $108 billion in 2018.")  # {'money', 'number', 'time'}
    answerable(frozenset({'money'}), asked=frozenset(), held=kinds_in(answer))
"""

from __future__ import annotations

import re

_NUMBER_WORDS = (
    "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety "
    "hundred hundreds thousand thousands million millions billion billions trillion dozen "
    "dozens half once twice"
)
_UNITS_OF_TIME = r"(?:second|minute|hour|day|night|week|month|year|decade|century)s?"
_MONTHS = (
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec"
)
_DAYS = "monday tuesday wednesday thursday friday saturday sunday today yesterday tomorrow"
_NUMBER = rf"(?:\d[\d,.]*|\b(?:{'|'.join(_NUMBER_WORDS.split())})\b)"

_PATTERNS: dict[str, re.Pattern[str]] = {
    "number": re.compile(_NUMBER, re.I),
    "money": re.compile(
        rf"[$€£¥₽]\s?\d|\d\s?[$€£¥₽]|{_NUMBER}[\s-]*(?:million|billion|trillion)?\s*"
        r"(?:dollars?|euros?|pounds?|roubles?|rubles?|yuan|yen|usd|eur|gbp|rmb|francs?|"
        r"pence|cents?|bucks)\b|\b(?:free of charge|for free|costs? nothing)\b",
        re.I,
    ),
    "time": re.compile(
        rf"\b(?:1[5-9]\d\d|20\d\d)s?\b|\b(?:{'|'.join((_MONTHS + ' ' + _DAYS).split())})\b|"
        r"\b\d{1,2}:\d{2}\b|\b(?:this|last|next|that) (?:week|month|year|weekend|morning|"
        r"evening|night)\b|\b(?:since|until|ago)\b|\b(?:spring|summer|autumn|fall|winter)\b",
        re.I,
    ),
    "duration": re.compile(
        rf"{_NUMBER}[\s-]+{_UNITS_OF_TIME}\b|\b\d{{1,2}}:\d{{2}}(?::\d{{2}})?\b|"
        rf"\b(?:a|an|one)\s+{_UNITS_OF_TIME}\b",
        re.I,
    ),
    "age": re.compile(rf"{_NUMBER}[\s-]+years?[\s-]+old|\baged? \d|\bborn in\b", re.I),
    "share": re.compile(rf"{_NUMBER}\s*(?:%|per ?cent|percent)|\b(?:half|third|quarter)\b", re.I),
}
_ANSWERED_BY: dict[str, frozenset[str]] = {
    "money": frozenset({"money"}),
    "duration": frozenset({"duration"}),
    "share": frozenset({"share"}),
    "age": frozenset({"age"}),
}
"""For each attribute that can be seen in text, the kinds in an answer that hold it. A name,
a place, a count or a time cannot: nearly every answer names someone or somewhere, a number
("a $500 million plant") rarely counts what "how many workers" asks, and "this week" in an
answer does not date another event ("when did Putin visit Beijing?")."""


def kinds_in(text: str) -> frozenset[str]:
    """The kinds of thing `text` holds."""
    return frozenset(kind for kind, pattern in _PATTERNS.items() if pattern.search(text))


def answerable(
    attributes: frozenset[str], *, asked: frozenset[str], held: frozenset[str]
) -> frozenset[str]:
    """Of the question `attributes`, those this fact can answer: its phrasings ask the same
    (`asked`), or its answer holds that kind of thing (`held`, from `kinds_in`).

    Measured on the summit's eval sets, also vetoing a fact whose phrasings ask "when" but
    whose answer shows no time lost right answers ("signed during Xi's visit"): the answer
    text meets an attribute, it does not take one away.
    """
    return frozenset(a for a in attributes if a in asked or _ANSWERED_BY.get(a, frozenset()) & held)

"""A first draft of a fact base from a document, for the organiser to edit (`kb new`).

    yaml_text = draft(Path("article.txt").read_text(), source_name="article.txt")

One candidate fact per paragraph (a line of the document: `source.paragraph` counts lines,
headings too). Each has an id made of its words, its key sentence as the answer, a short piece
of that sentence as the quote (copied exactly, without quotation marks where it can), the rest
of the paragraph as `more`, and a few question stubs. A heading line becomes the topic of the
facts below it; blank and very short lines are skipped. The draft loads as it is, and comments
in it say what to edit. Pure: text in, text out.
"""

from __future__ import annotations

import json
import re
import textwrap
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

MIN_WORDS = 6  # a shorter line is a heading (it names the topic below it) or noise
HEADING_WORDS = 10  # a line this short without a full stop is a heading
QUOTE_WORDS = 8
ID_WORDS = 3
SHORT_ANSWER = 80  # characters: a key sentence shorter than this takes the next one along
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[\"“‘'(\dA-ZА-ЯЁ])")
_QUOTES = re.compile(r"[\"'“”‘’«»„]")
_WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")
_STOP = frozenset(
    """a an the and or but of to in on at by for with from into as is are was were be been has
    have had will would can could this that these those it its their his her they he she we our
    who what which when where why how than then there also more most much many very said says
    mr mrs ms while after before over under between about such other only just both either
    """.split()
)


@dataclass(frozen=True, slots=True)
class Candidate:
    """One paragraph as a draft fact."""

    id: str
    topic: str
    line: int
    paragraph: str
    answer: str
    more: str
    quote: str
    words: tuple[str, ...]  # its telling words, in order


def draft(text: str, *, source_name: str, event: str | None = None) -> str:
    """The commented YAML of a draft fact base for `text` (see the module)."""
    found = list(candidates(text))
    description = found[0].answer if found else ""
    head = _HEADER.format(source=source_name, facts=len(found))
    event_block = [
        "event:",
        f"  name: {_q(event or 'TODO: the name of the event')}",
        f"  description: {_q(description)}",
        f"  document: {_q(f'the document {source_name}')}"
        "  # what the answers come from; fits after 'from'",
        "",
        _ALIASES,
        "",
        "facts:",
    ]
    facts = [line for c in found for line in _fact(c)]
    return "\n".join([head, *event_block, *facts]) + "\n"


def candidates(text: str) -> Iterator[Candidate]:
    """The paragraphs worth a fact, with the topic of the heading above each."""
    topic, used = "General", set[str]()
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        words = _WORD.findall(line)
        if _is_heading(line, words):
            topic = line.rstrip(":").strip()[:60]
        if len(words) < MIN_WORDS:
            continue
        answer, more = _answer(line)
        telling = _telling(answer)
        fact_id = _unique(_slug(telling) or f"fact_{number}", used)
        yield Candidate(fact_id, topic, number, line, answer, more, _quote(answer), telling)


def _is_heading(line: str, words: list[str]) -> bool:
    return 0 < len(words) < HEADING_WORDS and not line.endswith((".", "!", "?", '"', "”"))


def _answer(line: str) -> tuple[str, str]:
    """Its key sentence (the first; with the next when short), and the rest: slices of it."""
    breaks = list(_SENTENCE.finditer(line))
    if breaks and breaks[0].start() < SHORT_ANSWER:
        breaks = breaks[1:]
    if not breaks:
        return line, ""
    return line[: breaks[0].start()], line[breaks[0].end() :]


def _telling(sentence: str) -> tuple[str, ...]:
    bare = (re.sub(r"['’]s$", "", w) for w in _WORD.findall(sentence))  # Xi's -> Xi
    words = (w for w in bare if w.casefold() not in _STOP)
    return tuple(dict.fromkeys(w for w in words if len(w) > 1 or w.isdigit()))


def _slug(words: tuple[str, ...]) -> str:
    ascii_words = (
        unicodedata.normalize("NFKD", w).encode("ascii", "ignore").decode().casefold()
        for w in words
    )
    kept = [re.sub(r"[^a-z0-9]+", "_", w).strip("_") for w in ascii_words]
    return "_".join([w for w in kept if w][:ID_WORDS])


def _unique(fact_id: str, used: set[str]) -> str:
    candidate, n = fact_id, 2
    while candidate in used:
        candidate, n = f"{fact_id}_{n}", n + 1
    used.add(candidate)
    return candidate


def _quote(sentence: str) -> str:
    """A short piece of the sentence, as written: the longest stretch between quotation
    marks, cut to its first few words, without the punctuation at its ends."""
    stretches = [s.strip(" ,;:.!?()–—-") for s in _QUOTES.split(sentence)]
    longest = max(stretches, key=len)
    if len(longest) < 3:
        return sentence.strip()
    words = list(re.finditer(r"\S+", longest))
    end = words[min(len(words), QUOTE_WORDS) - 1].end()
    return longest[:end].rstrip(" ,;:.!?(–—-")


def _stubs(c: Candidate) -> list[str]:
    """Questions to start from: its telling words bare, and asked about."""
    words = [w.casefold() if w[:1].isupper() and w[1:].islower() else w for w in c.words]
    if not words:
        return [f"TODO: a question about line {c.line}"]
    stubs = [" ".join(words[:3]), f"What about {' '.join(words[:2])}?"]
    if len(words) > 3:
        stubs.append(f"What happened with {' '.join(words[2:4])}?")
    return list(dict.fromkeys(stubs))


def _fact(c: Candidate) -> list[str]:
    said = textwrap.wrap(c.paragraph, 94)
    lines = ["", f"  # Line {c.line}:", *(f"  #   {part}" for part in said)]
    lines += [
        f"  - id: {c.id}",
        f"    topic: {_q(c.topic)}",
        "    # TODO: 8 to 15 ways people would ask for this fact: who, what, when, how much...",
        "    questions:",
        *(f"      - {_q(s)}" for s in _stubs(c)),
        f"    answer: {_q(c.answer)}  # 1 or 2 sentences that make sense on their own",
    ]
    if c.more:
        lines.append(f"    more: {_q(c.more)}")
    lines += ["    source:", f"      paragraph: {c.line}", f"      quote: {_q(c.quote)}"]
    return lines


def _q(text: str) -> str:
    """A YAML double-quoted scalar: JSON's is one. (YAML's own line breaks, such as NEL and
    U+2028, never get here: `splitlines` breaks the document's lines at them too.)"""
    return json.dumps(text, ensure_ascii=False)


_HEADER = """\
# A DRAFT fact base for {source}: {facts} candidate facts, one per paragraph (line) of it.
# It loads as it is; make it good before people use it (knowledge/README.md says how):
# - event: give the event's name, and say what the document is so it reads after "from".
# - each fact: delete it if nobody would ask about it; split it if the paragraph says two
#   things people ask about separately; rename the id now (ids must never change later);
#   group facts into 8 to 10 topics; keep the answer to what the document says.
# - questions: the stubs are only a start. Write 8 to 15 ways people would really ask, in
#   chat style, with other words, names and languages; never one the fact cannot answer.
# - source.quote is copied exactly from the line named by source.paragraph: keep it so.
# Then check it: summit-bot kb check FILE.yaml (it also names facts that look alike).
"""

_ALIASES = """\
# Other ways people write a term the facts use (the term in lowercase), for example:
#   term: [other spelling, full name, title, the word in another language]
aliases: {}"""

"""`kb new`'s draft fact base (knowledge/draft.py): it loads, one fact per paragraph."""

from __future__ import annotations

import re

import pytest

from bot import KnowledgeBase
from knowledge.draft import MIN_WORDS, draft
from knowledge.loader import parse_knowledge
from tests.conftest import ARTICLE

THREE = """Harbour Fun Run

The run starts at 9 o'clock on Sunday, from the harbour wall beside the old lighthouse.
Entry costs 15 pounds: children under 12 run for free, and "everyone gets a medal".

Results
The run starts again next year, the club said, with a longer route through the park.
"""


def _checked(text: str, name: str = "article.txt", **options: str) -> KnowledgeBase:
    kb = parse_knowledge(draft(text, source_name=name, **options), name="draft")
    lines = text.splitlines()
    for fact in kb.facts:
        line = lines[fact.paragraph - 1]
        assert fact.quote in line and len(fact.quote) >= 3, fact.id
        assert fact.answer in line and fact.questions, fact.id
    assert len({f.id for f in kb.facts}) == len(kb.facts)
    return kb


def test_three_paragraphs_make_three_facts_under_their_headings() -> None:
    kb = _checked(THREE, event="Harbour Fun Run")
    assert [f.paragraph for f in kb.facts] == [3, 4, 7]
    assert [f.topic for f in kb.facts] == ["Harbour Fun Run", "Harbour Fun Run", "Results"]
    assert kb.facts[0].id != kb.facts[2].id  # both open with "The run starts"
    assert kb.facts[1].quote == "Entry costs 15 pounds: children under 12 run"  # 8 words
    assert kb.event.name == "Harbour Fun Run"
    assert kb.event.document == "the document article.txt"


def test_the_seed_article_drafts_one_fact_per_paragraph() -> None:
    if not ARTICLE.exists():
        pytest.skip("no ../shared/seed/summit-article.txt beside the checkout")
    text = ARTICLE.read_text(encoding="utf-8")
    kb = _checked(text, "summit-article.txt")
    paragraphs = [
        n for n, line in enumerate(text.splitlines(), 1)
        if len(re.findall(r"\w+", line)) >= MIN_WORDS
    ]
    assert [f.paragraph for f in kb.facts] == paragraphs
    assert all(re.fullmatch(r"[a-z0-9][a-z0-9_]*", f.id) for f in kb.facts)
    assert all(len(f.questions) >= 2 for f in kb.facts)  # enough for the self-test


def test_the_draft_says_what_to_edit() -> None:
    text = draft(THREE, source_name="article.txt")
    assert text.startswith("# A DRAFT fact base for article.txt: 3 candidate facts")
    assert text.count("# TODO: 8 to 15 ways") == 3
    assert "# Line 4:" in text and "TODO: the name of the event" in text


@pytest.mark.parametrize(
    "line",
    [
        'Tickets: "early bird" costs #5 \\ person, see: www.example.com - key: value here.',
        "Организаторы сообщили, что забег начнётся в девять утра у маяка на набережной.",
        "The café’s owner said ‘we open at six’ and the bakery stays open until late today.",
        "- a list item that looks like YAML: [with, brackets] and {braces} and & an anchor *star",
    ],
)
def test_text_that_looks_like_yaml_or_is_not_english_still_loads(line: str) -> None:
    kb = _checked(f"{line}\n{line}\n")
    assert len(kb.facts) == 2 and kb.facts[0].id != kb.facts[1].id


def test_a_document_with_no_paragraph_drafts_a_file_that_says_so() -> None:
    text = draft("Heading\n\nshort line\n", source_name="empty.txt")
    assert "0 candidate facts" in text

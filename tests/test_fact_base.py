"""The shipped fact base checks itself: ids, sources in the article, every fact reachable."""

from __future__ import annotations

import re
import unicodedata

import pytest

from bot import Engine, KnowledgeBase, Question
from tests.conftest import ARTICLE

needs_article = pytest.mark.skipif(
    not ARTICLE.exists(), reason="the article is not beside the checkout"
)


def _plain(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    text = text.translate(str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"'}))
    return re.sub(r"\s+", " ", text)


@needs_article
def test_every_source_quote_is_in_its_paragraph_of_the_article(kb: KnowledgeBase) -> None:
    paragraphs = ARTICLE.read_text(encoding="utf-8").splitlines()
    misplaced = [
        f.id
        for f in kb.facts
        if f.paragraph > len(paragraphs)
        or _plain(f.quote) not in _plain(paragraphs[f.paragraph - 1])
    ]
    assert misplaced == []


@needs_article
def test_every_paragraph_of_the_article_is_a_source(kb: KnowledgeBase) -> None:
    paragraphs = ARTICLE.read_text(encoding="utf-8").splitlines()
    headings = {i + 1 for i, p in enumerate(paragraphs) if len(p.split()) < 5}
    cited = {f.paragraph for f in kb.facts}
    assert set(range(1, len(paragraphs) + 1)) - headings - cited == set()


@needs_article
def test_every_number_in_an_answer_comes_from_the_article(kb: KnowledgeBase) -> None:
    article_numbers = set(re.findall(r"\d[\d,.]*\d|\d", ARTICLE.read_text(encoding="utf-8")))
    for fact in kb.facts:
        for number in re.findall(r"\d[\d,.]*\d|\d", " ".join([fact.answer, fact.more])):
            assert number.rstrip(".,") in article_numbers, (fact.id, number)


def test_every_fact_is_answered_by_its_first_question(engine: Engine, kb: KnowledgeBase) -> None:
    wrong = {
        f.id: engine.answer(Question(f.questions[0], conversation=f"own:{f.id}")).fact_id
        for f in kb.facts
    }
    assert {k: v for k, v in wrong.items() if v != k} == {}


def test_nearly_every_phrasing_finds_its_own_fact(engine: Engine, kb: KnowledgeBase) -> None:
    pairs = [(f.id, q) for f in kb.facts for q in f.questions]
    misses = [(fid, q) for fid, q in pairs if engine.search(q, limit=1)[0].fact_id != fid]
    assert len(misses) / len(pairs) < 0.03, misses


def test_ids_are_unique_and_related_ids_exist(kb: KnowledgeBase) -> None:
    ids = [f.id for f in kb.facts]
    assert len(ids) == len(set(ids))
    assert {r for f in kb.facts for r in f.related} <= set(ids)


def test_main_facts_speak_russian_and_chinese(kb: KnowledgeBase) -> None:
    translated = [f for f in kb.facts if {"ru", "zh"} <= set(f.translations)]
    assert len(translated) >= 15

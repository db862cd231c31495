"""The language data (knowledge/language/<lang>/*.txt): each file loads, is not empty and says
where it comes from; the engine's cache key follows every list."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from bot.matching.kinds import Kinds
from knowledge.loader import LANGUAGES, load_language
from knowledge.types import Language
from operations import engines
from tests.conftest import ROOT

FILES = sorted(LANGUAGES.glob("*/*.txt"))
_MADE_BY = re.compile(r"Made by (scripts/\w+\.py)")


def _header(path: Path) -> str:
    lines = path.read_text(encoding="utf-8").splitlines()
    return "\n".join(line for line in lines[:3] if line.startswith("#"))


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_each_file_has_a_header_naming_its_script_or_hand_written_and_entries(path: Path) -> None:
    header = _header(path)
    made_by = _MADE_BY.search(header)
    assert "Hand-written" in header or (made_by and (ROOT / made_by.group(1)).is_file())
    rows = [r for r in path.read_text(encoding="utf-8").splitlines() if r and r[0] != "#"]
    assert rows and all(r == r.strip() for r in rows)  # no stray blanks: a stop word is exact


def test_the_matcher_lists_load_for_every_language() -> None:
    language = load_language()
    assert {"the", "what", "что", "ли"} <= language.stopwords
    assert {"的", "吗"} <= language.stopchars
    assert language.attributes["money"][:2] == ("how much", "pay")  # file order kept
    assert {"платит", "多少钱"} <= set(language.attributes["money"])
    assert list(language.attributes)[:3] == ["name", "clock", "money"]
    assert language.soft_attributes == {"size", "place"}
    assert language.soft_attributes <= set(language.attributes)
    assert {"work", "people"} <= language.common_words


def test_the_analyzer_grammar_lists_load() -> None:
    language = load_language()
    assert language.articles == {"the", "a", "an"}
    assert language.same_words["towards"] == "to"
    assert language.exclusions.index("except for") < language.exclusions.index("except")
    assert language.not_asking["clause"] == {"when", "where"}
    assert language.not_asking["name_of"] == {"of"}
    assert {"is", "'s"} <= language.auxiliaries and "article" in language.sources
    assert "their" in language.possessives and "whats" in language.which_words
    assert "exactly" in language.focus_skip
    assert {"what about", "а", "и"} <= set(language.follow_up_openers)
    assert "where" in language.question_words and language.question_joiners == ("and",)
    assert language.shorthand["ppl"] == "people" and "min" not in language.shorthand
    assert {"and", "или"} <= language.joiners


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        ("The plant cost five hundred million dollars.", {"money", "number"}),
        ("Entry is free of charge.", {"money"}),
        ("They met last week, in March.", {"time"}),
        ("The visit lasted three days.", {"duration", "number"}),
        ("A 34-year-old runner won; the oldest was aged 71.", {"age", "number", "duration"}),
        ("Half the seats went to them: 40 per cent.", {"share", "number"}),
        ("The pandas are a loan, not a gift.", set()),
    ],
)
def test_the_kinds_words_show_each_kind(text: str, kinds: set[str]) -> None:
    assert Kinds.of(load_language()).seen_in(text) == kinds


def test_without_the_kinds_file_only_digits_and_signs_show_a_kind(tmp_path: Path) -> None:
    shutil.copytree(LANGUAGES, tmp_path / "language")
    for path in (tmp_path / "language").glob("*/kinds.txt"):
        path.unlink()
    language = load_language(tmp_path / "language")
    assert language.kinds == {} and load_language().kinds["currency"][:2] == ("dollar", "dollars")
    bare = Kinds.of(language)
    assert bare == Kinds.of(Language())
    assert bare.seen_in("$5, or 5%, in 2018") == {"money", "share", "time", "number"}
    assert bare.seen_in("The 12:30 slot") == {"time", "duration", "clock", "number"}
    assert bare.seen_in("Five dollars, last week, three days, seventy years old, half") == set()


def test_the_engine_cache_key_changes_when_a_list_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy = tmp_path / "language"
    shutil.copytree(LANGUAGES, copy)
    monkeypatch.setattr(engines, "LANGUAGES", copy)
    engines._engine_version.cache_clear()
    before = engines._engine_version()
    with (copy / "ru" / "stopwords.txt").open("a", encoding="utf-8") as file:
        file.write("вообще\n")
    engines._engine_version.cache_clear()
    assert engines._engine_version() != before
    engines._engine_version.cache_clear()

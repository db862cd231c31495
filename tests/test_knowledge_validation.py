"""A bad fact base never starts a bot: every error names the file, the fact and the field."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from bot import KnowledgeError
from knowledge.loader import load_knowledge, parse_knowledge

GOOD = """
event: {name: Demo Forum, place: Somewhere}
aliases:
  pandas: [panda, 熊猫]
facts:
  - id: pandas_loan
    topic: Pandas
    questions: ["Are the pandas a gift?"]
    answer: They are a loan.
    source: {paragraph: 1, quote: "a loan, not a gift"}
    related: [zoo]
  - id: zoo
    topic: Pandas
    questions: ["Which zoo got the pandas?"]
    answer: Moscow zoo.
    source: {paragraph: 1, quote: "Moscow zoo"}
"""


def test_a_good_fact_base_loads_into_frozen_values() -> None:
    kb = parse_knowledge(GOOD)
    assert [f.id for f in kb.facts] == ["pandas_loan", "zoo"]
    assert kb.aliases["pandas"] == ("panda", "熊猫")
    assert len(kb.version) == 12
    with pytest.raises(AttributeError):
        kb.facts[0].answer = "changed"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("id: zoo", "id: pandas_loan"), "fact 'pandas_loan': duplicate id"),
        (("answer: Moscow zoo.", "answer: ''"), "fact 'zoo', field 'answer'"),
        (("related: [zoo]", "related: [nowhere]"), "unknown fact id 'nowhere'"),
        (("pandas: [panda, 熊猫]", "tigers: [tiger]"), "term 'tigers': unknown target"),
        (
            ('questions: ["Which zoo got the pandas?"]', "questions: []"),
            "fact 'zoo', field 'questions'",
        ),
        (("{paragraph: 1, quote: \"Moscow zoo\"}", "{paragraph: 0, quote: \"Moscow zoo\"}"),
         "fact 'zoo', field 'source.paragraph'"),
        (('topic: Pandas\n    questions: ["Which', 'topc: Pandas\n    questions: ["Which'),
         "fact 'zoo', field 'topc'"),
        (("event: {name: Demo Forum, place: Somewhere}", "event: {place: Somewhere}"),
         "event.name"),
        (("facts:", "facts: [oops"), "not valid YAML"),
    ],
)
def test_each_mistake_is_named(change: tuple[str, str], message: str) -> None:
    old, new = change
    assert old in GOOD
    with pytest.raises(KnowledgeError, match=r"^demo\.yaml") as caught:
        parse_knowledge(GOOD.replace(old, new, 1), name="demo.yaml")
    assert message in str(caught.value)


def test_missing_and_non_mapping_files_are_clear(tmp_path: Path) -> None:
    with pytest.raises(KnowledgeError, match="cannot read"):
        load_knowledge(tmp_path / "absent.yaml")
    listy = tmp_path / "list.yaml"
    listy.write_text("- just\n- a list\n", encoding="utf-8")
    with pytest.raises(KnowledgeError, match="expected a mapping"):
        load_knowledge(listy)


def test_an_organisers_file_loads_from_disk(tmp_path: Path) -> None:
    path = tmp_path / "event.yaml"
    path.write_text(textwrap.dedent(GOOD), encoding="utf-8")
    assert load_knowledge(path).event.name == "Demo Forum"


def test_a_bad_indentation_names_the_fact_it_is_in() -> None:
    broken = GOOD.replace('    answer: Moscow zoo.', '     answer: Moscow zoo.')
    with pytest.raises(KnowledgeError) as caught:
        parse_knowledge(broken, name="event.yaml")
    message = str(caught.value)
    assert message.startswith("event.yaml: line 15, column 6")
    assert "(in fact 'zoo'): not valid YAML" in message


def test_a_syntax_error_above_the_facts_names_no_fact() -> None:
    with pytest.raises(KnowledgeError) as caught:
        parse_knowledge('event: {name: "Demo\nfacts: []\n', name="event.yaml")
    assert "line 3, column 1: not valid YAML" in str(caught.value)
    assert "in fact" not in str(caught.value)


@pytest.mark.parametrize(
    ("wrong", "right", "where"),
    [
        ("    topic: Pandas\n    questions: [\"Which", "    topc: Pandas\n    questions: [\"Which",
         "fact 'zoo', field 'topc': unknown field; did you mean 'topic'?"),
        ("    related: [zoo]", "    related: [zoo]\n    keyword: [gift]",
         "fact 'pandas_loan', field 'keyword': unknown field; did you mean 'keywords'?"),
        ("place: Somewhere", "plase: Somewhere",
         "event.plase: unknown field; did you mean 'place'?"),
        ('quote: "Moscow zoo"', 'quote: "Moscow zoo", paragraf: 2',
         "fact 'zoo', field 'source.paragraf': unknown field; did you mean 'paragraph'?"),
    ],
)
def test_an_unknown_field_suggests_the_closest_known_one(
    wrong: str, right: str, where: str
) -> None:
    with pytest.raises(KnowledgeError) as caught:
        parse_knowledge(GOOD.replace(wrong, right, 1))
    assert where in str(caught.value)


def test_an_unknown_field_like_no_known_one_gets_no_suggestion() -> None:
    with pytest.raises(KnowledgeError) as caught:
        parse_knowledge(GOOD.replace("related: [zoo]", "related: [zoo]\n    colour: red"))
    assert str(caught.value).endswith("fact 'pandas_loan', field 'colour': unknown field")

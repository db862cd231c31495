"""The organiser's loop as a transcript (docs/organisers.md): a draft from an article, an edit,
`kb check` naming the look-alike facts (and failing with --strict), a fix, then `eval` graded by
fact id. The real command line, in process, in a temporary folder; assertions on what it prints."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from adapters.cli import main

FIXTURES = Path(__file__).with_name("fixtures")
ARTICLE = FIXTURES / "harbour-run.txt"
QUESTIONS = FIXTURES / "harbour-run-questions.jsonl"

IDS = {  # the draft's ids, renamed as its comments ask
    "kenyan_runner_peter": "men_winner",
    "lucy_tanaka_won": "women_winner",
    "6_500_runners": "runners",
    "route_starts_ferry": "course",
    "water_stations_stood": "water",
    "each_winner_received": "prize",
    "organisers_race_raised": "charity",
}
LOOK_ALIKE = {  # the two winners asked about in the same words: the bot cannot tell them apart
    "men_winner": ["Who won the race?", "who won", "Who was the winner?",
                   "winner of the harbour run", "who came first", "who won the half marathon"],
    "women_winner": ["Who won the race?", "who was first across the line",
                     "Who won the half marathon?", "harbour run winner", "who took first place",
                     "who was the fastest"],
}
TOLD_APART = {
    "men_winner": ["Who won the men's race?", "who was the fastest man",
                   "first man across the line", "which man won the half marathon",
                   "who won the men's half marathon", "which man was quickest"],
    "women_winner": ["Who won the women's race?", "who was the fastest woman",
                     "first woman across the line", "which woman won the half marathon",
                     "who won the women's half marathon", "which woman was quickest"],
}
OTHERS = {
    "runners": ["How many runners took part?", "how many people ran", "number of runners",
                "how big was the field", "how many started the race", "participants"],
    "course": ["Where does the course go?", "what is the route", "where does the race start",
               "where is the finish", "route of the run", "does it pass the lighthouse"],
    "water": ["Where are the water stations?", "is there water on the course",
              "where can I get a drink", "how often can I get water", "are there bananas",
              "refreshments"],
    "prize": ["How much prize money do the winners get?", "what is the prize", "prize money",
              "how much did the winner earn", "is there a bonus for a record", "prizes"],
    "charity": ["How much money was raised?", "which charity does the race support",
                "fundraising", "how much for the lifeboat service",
                "does the run raise money for charity"],
}


def summit_bot(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["--no-log", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def edit(path: Path, winners: dict[str, list[str]]) -> None:
    """What the organiser does in an editor: name the event, rename ids, write phrasings."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["event"].update(name="Harbour Run 2026", document="the Harbour Run 2026 race report")
    for fact in data["facts"]:
        fact["id"] = IDS.get(fact["id"], fact["id"])
        fact["questions"] = {**OTHERS, **winners}[fact["id"]]
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_from_an_article_to_a_checked_and_graded_fact_base(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    shutil.copy(ARTICLE, "harbour-run.txt")

    code, out, _ = summit_bot(capsys, "kb", "new", "harbour-run.txt")
    assert code == 0
    assert out.splitlines() == [
        "Wrote harbour-run.yaml: a draft of 7 facts from harbour-run.txt.",
        "Next: edit it (the comments say how), then: summit-bot kb check harbour-run.yaml",
    ]
    draft = Path("harbour-run.yaml").read_text(encoding="utf-8")
    assert "# TODO: 8 to 15 ways people would ask" in draft
    assert summit_bot(capsys, "kb", "new", "harbour-run.txt")[2].strip() == (
        "summit-bot: error: harbour-run.yaml: already exists; not overwritten "
        "(choose another with -o FILE)"
    )
    assert Path("harbour-run.yaml").read_text(encoding="utf-8") == draft

    edit(Path("harbour-run.yaml"), LOOK_ALIKE)
    code, out, _ = summit_bot(capsys, "kb", "check", "harbour-run.yaml")
    assert code == 0  # a warning
    assert "harbour-run.yaml: OK, 7 facts, 41 questions" in out
    pair = next(line for line in out.splitlines() if "<->" in line)
    assert pair.startswith("  men_winner <-> women_winner: ") and " crossed, " in pair
    assert "(women_winner) was answered by men_winner" in out
    assert "hint: Add a phrasing that says" in out
    code, _, err = summit_bot(capsys, "kb", "check", "--strict", "harbour-run.yaml")
    assert code == 1 and err.startswith("summit-bot: error: harbour-run.yaml: the self-test")
    assert err.strip().endswith("with the wrong fact (--strict)")

    edit(Path("harbour-run.yaml"), TOLD_APART)  # the fix: words that tell the winners apart
    code, out, err = summit_bot(capsys, "kb", "check", "--strict", "harbour-run.yaml")
    assert (code, err) == (0, "")
    assert "men_winner <-> women_winner" not in out and " 0 crossed, " in out  # doubtful only

    shutil.copy(QUESTIONS, "my-questions.jsonl")
    code, out, _ = summit_bot(capsys, "--kb", "harbour-run.yaml", "eval", "my-questions.jsonl")
    lines = out.splitlines()
    assert code == 0
    assert "plain             6/6    100.0%" in lines
    assert "questions      10" in lines
    assert lines[-4:] == [  # the one answerable miss, 'who won?', offers a winner first
        "answerable     87.5%", "offered first  12.5%", "abstain        100.0%",
        "confident-wrong 0.0%",
    ]
    code, out, _ = summit_bot(capsys, "--kb", "harbour-run.yaml", "eval", "--failures",
                              "my-questions.jsonl")
    miss = "FAIL [vague] 'who won?'\n     -> \"I'm not sure which you mean. Did you mean:"
    assert out.startswith(miss)  # the only miss: it asks which winner
    assert "1. Who won the men's race?\\n2. Who won the women's race?" in out

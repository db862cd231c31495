"""The command line as an organiser uses it: ask and console log, --no-log, log purge,
kb diff, report (terminal and --html), and settings errors."""

from __future__ import annotations

import io
import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from adapters.cli import main
from bot import Answer, ConfigError, Feedback, Outcome, Question, Vote
from knowledge.loader import load_knowledge
from operations.engines import make_engine
from operations.live import Bot
from operations.ops_settings import OpsSettings, from_env
from operations.questionlog import QuestionLog, open_store
from tests.ops.conftest import TRADE, EditKb

CHEAPER = "Trade between the two countries fell to 50 billion dollars last year."


@pytest.fixture
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> OpsSettings:
    """The command line's settings: a temp DATA_DIR, nothing else set."""
    for name in ("DATABASE_URL", "LOG_RETENTION_DAYS", "LOG_RAW_USER_IDS", "LOG_USER_SALT",
                 "ADMIN_USER_IDS", "SUMMIT_ENV_FILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("KB_WATCH_SECONDS", "0")
    monkeypatch.chdir(tmp_path)  # no stray .env is read
    return OpsSettings(data_dir=tmp_path / "data")


def logged(settings: OpsSettings) -> list[tuple[str, str, str]]:
    if not settings.sqlite_path.exists():
        return []
    with open_store(settings) as store:
        return [(q.platform, q.text, q.outcome) for q in store.questions()]


def test_ask_logs_the_question(data: OpsSettings, kb_file: Path,
                               capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--kb", str(kb_file), "ask", "what is the trade volume?"]) == 0

    assert capsys.readouterr().out.strip() == TRADE
    assert logged(data) == [("cli", "what is the trade volume?", "answered")]


@pytest.mark.parametrize("where", ["before", "after"])
def test_no_log_turns_it_off_for_one_run(data: OpsSettings, kb_file: Path, where: str) -> None:
    flag = ["--no-log"]
    args = [*flag, "--kb", str(kb_file), "ask", "trade?"] if where == "before" else [
        "--kb", str(kb_file), "ask", "trade?", *flag]
    assert main(args) == 0
    assert main(["--kb", str(kb_file), "ask", "pandas?"]) == 0

    assert [text for _, text, _ in logged(data)] == ["pandas?"]


def test_the_console_logs_every_question(
    data: OpsSettings, kb_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("who skipped the forum?\nhelp\nquit\n"))
    monkeypatch.setattr("sys.stdout", io.StringIO())

    assert main(["--kb", str(kb_file), "console"]) == 0

    assert logged(data) == [("console", "who skipped the forum?", "answered"),
                            ("console", "help", "command")]


def test_log_purge_deletes_what_is_older_than_the_retention(
    data: OpsSettings, kb_file: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    store = open_store(data)
    log = QuestionLog(store, salt="s")
    now = datetime.now(UTC)
    for days in (400, 100, 10):
        log.question(Question(f"{days} days ago"), Answer(Outcome.ABSTAINED, "no"),
                     kb_version="v", at=now - timedelta(days=days))
    log.close()

    assert main(["log", "purge"]) == 0  # LOG_RETENTION_DAYS: 90 by default
    assert capsys.readouterr().out.startswith("purged 2 question(s) older than 90 days from ")
    monkeypatch.setenv("LOG_RETENTION_DAYS", "0")
    assert main(["log", "purge"]) == 2  # 0 keeps everything: nothing to purge without --days
    assert main(["log", "purge", "--days", "5"]) == 0
    assert logged(data) == []


def test_kb_diff_replays_a_question_file(
    data: OpsSettings, kb_file: Path, edit_kb: EditKb, tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    old = tmp_path / "old.yaml"
    old.write_text(kb_file.read_text())
    edit_kb(lambda text: text.replace(TRADE, CHEAPER))
    questions = tmp_path / "questions.txt"
    questions.write_text('what is the trade volume?\n{"q": "who skipped the forum?"}\n\n')

    assert main(["kb", "diff", str(old), str(kb_file), "--questions", str(questions)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].endswith(f"replaying 2 questions from {questions}")
    assert out[1:] == ["1 of 2 questions replayed would get a different answer:",
                       '• "what is the trade volume?": trade_volume → new wording (trade_volume)']

    assert main(["kb", "diff", str(old), str(kb_file), "--questions", str(questions),
                 "--json"]) == 0
    [change] = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert change["q"] == "what is the trade volume?" and change["after_text"] == CHEAPER


def test_kb_diff_replays_the_logged_questions_or_else_the_fact_bases_own(
    data: OpsSettings, kb_file: Path, edit_kb: EditKb, tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    old = tmp_path / "old.yaml"
    old.write_text(kb_file.read_text())
    edit_kb(lambda text: text.replace(TRADE, CHEAPER))

    assert main(["kb", "diff", str(old), str(kb_file)]) == 0
    assert "replaying 8 questions from the fact bases' own questions" in capsys.readouterr().out

    assert main(["--kb", str(kb_file), "ask", "who skipped the forum?"]) == 0
    capsys.readouterr()
    assert main(["kb", "diff", str(old), str(kb_file)]) == 0
    out = capsys.readouterr().out
    assert "replaying 1 questions from the question log" in out
    assert "None of the 1 questions replayed would get a different answer." in out


def test_kb_diff_marks_and_lists_first_the_changed_answers_that_had_a_thumbs_up(
    data: OpsSettings, kb_file: Path, edit_kb: EditKb, tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    log = QuestionLog(open_store(data), salt="s")
    bot = Bot(make_engine(load_knowledge(kb_file)), log=log)
    for n, text in enumerate(["what is the trade volume?", "how much trade is there?"]):
        bot.ask(Question(text, platform="slack", conversation=f"c{n}", user="u"))
    log.record(Feedback("slack", "c0", "u", "trade_volume", Vote.UP))  # the older one
    log.close()
    old = tmp_path / "old.yaml"
    old.write_text(kb_file.read_text())
    edit_kb(lambda text: text.replace(TRADE, CHEAPER))

    assert main(["kb", "diff", str(old), str(kb_file)]) == 0
    assert capsys.readouterr().out.splitlines()[1:] == [
        "2 of 2 questions replayed would get a different answer"
        " (1 of them had a 👍, listed first):",
        '• 👍 "what is the trade volume?": trade_volume → new wording (trade_volume)',
        '• "how much trade is there?": trade_volume → new wording (trade_volume)',
    ]
    assert main(["kb", "diff", str(old), str(kb_file), "--json"]) == 0
    changes = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [c["liked"] for c in changes] == [True, False]


def test_report_prints_tables_and_writes_the_page(
    data: OpsSettings, kb_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    close = "how big is trade?"  # answered by trade_volume, trade_deals next
    for question in ("what are the pandas called?", "what are the pandas called", close):
        assert main(["--kb", str(kb_file), "ask", question]) == 0
    capsys.readouterr()
    page = tmp_path / "out" / "report.html"
    page.parent.mkdir()
    best, second = make_engine(load_knowledge(kb_file)).search(close)[:2]
    lead = f"{best.score - second.score + 0.001:.3f}"  # the lead depends on the sentence model

    assert main(["--kb", str(kb_file), "report", "--html", str(page), "--close-call", lead]) == 0

    out = capsys.readouterr().out
    assert out.startswith("summit-bot report: 3 questions from 0 people")
    [group] = [line for line in out.splitlines() if line.startswith("2      pandas_loan (")]
    assert group.endswith("what are the pandas called? | what are the pandas called")
    row = rf"{re.escape(close)}  trade_volume  close call: only \d\.\d\d ahead of trade_deals  1"
    assert re.search(row, out), out
    assert page.read_text().startswith("<!doctype html>") and f"wrote {page}" in out


def test_a_malformed_setting_is_named(data: OpsSettings, monkeypatch: pytest.MonkeyPatch,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("DATABASE_URL", "mysql://db/summit")
    monkeypatch.setenv("LOG_RETENTION_DAYS", "soon")

    assert main(["ask", "trade?"]) == 2
    err = capsys.readouterr().err
    assert "DATABASE_URL is malformed" in err and "LOG_RETENTION_DAYS is malformed" in err
    with pytest.raises(ConfigError, match="DATABASE_URL"):
        from_env({"DATABASE_URL": "mysql://db"})


def test_settings_read_every_variable() -> None:
    settings = from_env({
        "DATA_DIR": "/srv/summit", "DATABASE_URL": "postgresql://u:secret@db:5432/summit",
        "LOG_RETENTION_DAYS": "30", "LOG_RAW_USER_IDS": "true", "LOG_USER_SALT": "pepper",
        "LOG_QUEUE_SIZE": "500", "LOG_SPOOL_SIZE": "2000", "ADMIN_USER_IDS": "U0ADMIN, 1234567890",
        "KB_WATCH_SECONDS": "0",
    })
    assert settings == OpsSettings(
        data_dir=Path("/srv/summit"), database_url="postgresql://u:secret@db:5432/summit",
        log_retention_days=30, log_raw_user_ids=True, log_user_salt="pepper",
        log_queue_size=500, log_spool_size=2000,
        admin_user_ids=frozenset({"U0ADMIN", "1234567890"}), kb_watch_seconds=0.0,
    )
    assert "secret" not in repr(settings) and "pepper" not in repr(settings)
    assert settings.log_target == "postgresql://db:5432/summit"
    assert from_env({"DATABASE_URL": "sqlite:///tmp/x.db"}).sqlite_path == Path("tmp/x.db")

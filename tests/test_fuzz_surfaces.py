"""Hostile text through the surfaces people type into: `summit-bot ask --jsonl` as a real process
and the console in-process. Whatever the text (lone surrogates, control characters and escape
sequences, huge strings, markdown and HTML, mass pings, bidi overrides, CJK repeats), every input
gets exactly one reply, the output is valid UTF-8 that cannot drive a terminal, nothing raises,
and every answered question is in the question log."""

from __future__ import annotations

import io
import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adapters import console, messages
from adapters.cli import main
from bot import Answer, KnowledgeBase, Outcome, Question
from operations.engines import make_engine
from operations.live import Bot
from operations.questionlog import QuestionLog, SQLiteStore

SUMMIT_BOT = str(Path(sys.executable).with_name("summit-bot"))
FIXTURE_OK = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large]
# What no output may contain: ESC, BEL, CR, NUL, 8-bit CSI, bidi overrides and isolates.
FORBIDDEN = frozenset("\x1b\x07\r\x00\x9b\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")

JUNK = [
    "@everyone", "@here", "<!channel>", "<!here>", "<@U0123ABC>", "<#C0123|general>",
    "<https://evil.example|click>", "**bold** __it__ ~~x~~ `code` ```block```", "> quote",
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "&amp;&lt;&gt;", "||spoiler||",
    "\u202eevil\u202c", "\u2066iso\u2069", "\x1b]0;title\x07", "\x1b]52;c;cm0gLXJm\x1b\\",
    "\x1b[2J\x1b[H", "\x9b31m", "\r", "\x00", "\x7f", "\ufeff", "\u200b", "\ufffd",
    "熊猫", "大熊猫", "习近平", "普京", "Путин", "панды", "pandas", "who skipped the forum?",
    "source?", "more", "help", "1", "2", "🐼", "👍🏽", "e\u0301" * 5, "ﷺ", "٣", "한국", "ไทย",
]
LONE_SURROGATES = st.sampled_from(["\ud800", "\udbff", "\udc00", "\udfff", "\udc80", "\ud83d"])
PIECE = st.one_of(
    st.sampled_from(JUNK),
    LONE_SURROGATES,
    st.text(max_size=40),
    st.text(st.characters(max_codepoint=0x9F), max_size=20),  # C0, DEL and C1 controls
    st.builds(lambda s, n: s * n, st.sampled_from(["熊猫", "普京", "习近平", "a", " ", "?", "@"]),
              st.integers(min_value=50, max_value=1_000)),  # long repeats, CJK among them
)
TEXT = st.lists(PIECE, max_size=6).map("".join)
HUGE = st.builds(lambda s, n: s * n, st.sampled_from(["x", "熊猫 ", "\ud800", "\x1b[1m"]),
                 st.integers(min_value=5_000, max_value=20_000))


def assert_terminal_safe(text: str) -> None:
    text.encode("utf-8")  # valid UTF-8: no lone surrogate is written out
    assert not FORBIDDEN & set(text), repr(text[:200])


# -- ask --jsonl, a real process -------------------------------------------------------------


def _line(text: str, how: int) -> bytes:
    """One input line: a JSON object (most), or the raw text itself (not JSON; any bytes)."""
    if how == 0:
        return text.replace("\n", " ").encode("utf-8", "surrogatepass")  # raw, even CESU bytes
    item: dict[str, object] = {"q": text, "n": how}
    if how == 1:
        item["conversation"] = text[:50]
    return json.dumps(item).encode("ascii")  # "\ud800" escapes: valid JSON with lone surrogates


@settings(max_examples=2, deadline=None, suppress_health_check=FIXTURE_OK)
@given(lines=st.lists(st.tuples(st.one_of(TEXT, HUGE), st.integers(0, 4)),
                      min_size=150, max_size=200))
def test_ask_jsonl_answers_every_hostile_line(
    lines: list[tuple[str, int]], tmp_path_factory: pytest.TempPathFactory
) -> None:
    data = tmp_path_factory.mktemp("fuzz")
    batch = b"".join(_line(text, how) + b"\n" for text, how in lines)
    done = subprocess.run(
        [SUMMIT_BOT, "ask", "--jsonl"], input=batch, capture_output=True, timeout=120,
        check=False, env={**os.environ, "DATA_DIR": str(data), "KB_WATCH_SECONDS": "0",
                          "PYTHONIOENCODING": "utf-8:strict"},
    )

    stderr = done.stderr.decode("utf-8", "replace")
    assert done.returncode == 0 and "Traceback" not in stderr, stderr[-2000:]
    out = done.stdout.decode("utf-8").split("\n")
    assert out.pop() == "" and len(out) == len(lines)
    answered = 0
    for line, (_, how) in zip(out, lines, strict=True):
        assert_terminal_safe(line)
        value = json.loads(line)
        if how:  # a JSON object: it gets its answer back, with its own keys kept
            assert value["n"] == how and set(value["bot"]) >= {"answered", "text", "fact_id"}
            assert value["bot"]["text"] and value["bot"]["text"] != messages.ERROR
            answered += 1
        else:
            assert "bot" in value or "error" in value
            answered += "bot" in value
    with sqlite3.connect(data / "questions.sqlite3") as db:
        assert db.execute("SELECT COUNT(*) FROM questions").fetchone()[0] == answered


# -- the console, in-process -----------------------------------------------------------------


class Replies(io.StringIO):
    """The console's stdout, keeping each reply as it was written."""

    def __init__(self) -> None:
        super().__init__()
        self.replies: list[str] = []

    def write(self, text: str) -> int:
        self.replies.append(text)
        return super().write(text)


@pytest.fixture
def logged_engine(kb: KnowledgeBase, tmp_path: Path) -> Iterator[tuple[Bot, QuestionLog]]:
    """The console's engine as `summit-bot console` has it: every question logged (SQLite)."""
    store = SQLiteStore(tmp_path / "questions.sqlite3")
    store.migrate()
    log = QuestionLog(store, salt="s")
    yield Bot(make_engine(kb), log=log), log
    log.close()


@settings(max_examples=40, deadline=None, suppress_health_check=FIXTURE_OK)
@given(texts=st.lists(st.one_of(TEXT, HUGE), min_size=1, max_size=8))
def test_the_console_replies_once_to_every_hostile_line(
    logged_engine: tuple[Bot, QuestionLog], texts: list[str]
) -> None:
    engine, log = logged_engine
    lines = [t.replace("\n", " ") for t in texts]
    lines = [t for t in lines if t.strip() and t.strip().casefold() not in console.QUIT]
    stdout = Replies()
    before = log.stats().written

    assert console.run(engine, stdin=io.StringIO("".join(f"{t}\n" for t in lines)),
                       stdout=stdout) == 0

    assert len(stdout.replies) == len(lines)
    for reply in stdout.replies:
        assert reply.endswith("\n") and reply.strip() and reply != messages.ERROR + "\n"
        assert_terminal_safe(reply)
    assert log.flush()
    assert log.stats().written - before == len(lines) and log.stats().failed == 0


# -- an engine that breaks its promise costs one reply, not the surface ----------------------


class Boom:
    def __init__(self, kb: KnowledgeBase) -> None:
        self.knowledge = kb

    def answer(self, question: Question, last: object = None) -> Answer:
        if "boom" in question.text:
            raise RecursionError("maximum recursion depth exceeded")
        return Answer(Outcome.ANSWERED, "fine")

    def complete(self, prefix: str, *, limit: int = 25) -> tuple[()]:
        return ()


def test_a_failing_engine_costs_one_reply(
    kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    stdout = Replies()
    console.run(Bot(Boom(kb)), stdin=io.StringIO("hi\nboom\nhi\n"), stdout=stdout)
    assert stdout.replies == ["fine\n", messages.ERROR + "\n", "fine\n"]

    import adapters.cli as cli

    class Ops:
        bot = Bot(Boom(kb))

    monkeypatch.setattr(cli.opscli, "open_ops", lambda args: Ops())
    monkeypatch.setattr(cli.opscli, "close_ops", lambda ops: None)
    monkeypatch.setattr(sys, "stdin", io.StringIO('{"q": "boom"}\n{"q": "hi"}\n'))
    assert main(["ask", "--jsonl"]) == 0
    out = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [o["bot"]["text"] for o in out] == [messages.ERROR, "fine"]

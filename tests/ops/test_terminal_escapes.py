"""No text that people type, log or write in a fact base can drive the organiser's terminal:
`printable` strips escape sequences and controls, and every text surface uses it (report,
kb diff, console, `ask`, error lines)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from adapters import console
from adapters.cli import main
from bot import Answer, KnowledgeBase, Outcome, Question
from operations.live import Bot
from operations.terminal import json_text, printable
from tests.ops.conftest import TRADE, EditKb

TITLE = "\x1b]0;owned\x07"  # sets the window title
CLIPBOARD = "\x1b]52;c;cm0gLXJmIH4K\x1b\\"  # OSC 52: writes the clipboard
CLEAR = "\x1b[2J\x1b[H"  # clears the screen
HOSTILE = f"pandas{TITLE}{CLIPBOARD}{CLEAR}\r\u202eevil\x9b31m\x07\x00 called?"
# What none of the outputs may contain: ESC, BEL, CR, NUL, CSI (8-bit), RLO.
FORBIDDEN = ("\x1b", "\x07", "\r", "\x00", "\x9b", "\u202e")


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("plain text, 熊猫, Путин 🐼", "plain text, 熊猫, Путин 🐼"),
        ("two\nlines\tand a tab", "two\nlines\tand a tab"),
        (f"a{TITLE}b", "ab"),
        ("a\x1b]0;no terminator", "a0;no terminator"),  # the ESC goes: the rest is inert text
        (f"a{CLIPBOARD}b", "ab"),
        (f"a{CLEAR}b", "ab"),
        ("a\x1b[31;1mred\x1b[0m", "ared"),
        ("a\x9b2Jb", "ab"),  # 8-bit CSI
        ("a\x9d0;title\x9cb", "ab"),  # 8-bit OSC ... ST
        ("a\x1bPdevice\x1b\\b", "ab"),  # DCS
        ("a\x1b7\x1b8b", "ab"),  # save and restore the cursor
        ("over\rwrite", "overwrite"),
        ("bell\x07 null\x00 del\x7f vt\x0b ff\x0c", "bell null del vt ff"),
        ("a\u202eb\u202ac\u2066d\u2069e", "abcde"),
        ("lone \ud800 and \udfff", "lone \ufffd and \ufffd"),
        ("", ""),
    ],
)
def test_printable_strips_what_drives_a_terminal(text: str, shown: str) -> None:
    assert printable(text) == shown
    assert printable(shown) == shown  # idempotent
    printable(text).encode("utf-8")  # always encodable


def test_json_text_is_lossless_valid_utf8_and_inert() -> None:
    value = {"q": f"x{TITLE}\u202e\x9b\x7fy", "k\u2066": ["\ud800"]}
    line = json_text(value)
    line.encode("utf-8")
    assert not any(c in line for c in FORBIDDEN) and "\n" not in line
    back = json.loads(line)
    assert back["q"] == value["q"]  # escaped, not lost
    assert back == {"q": value["q"], "k\u2066": ["\ufffd"]}  # a lone surrogate becomes U+FFFD


@pytest.fixture
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in ("DATABASE_URL", "LOG_USER_SALT", "SUMMIT_ENV_FILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("KB_WATCH_SECONDS", "0")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def assert_inert(out: str) -> None:
    assert not any(c in out for c in FORBIDDEN), repr(out)


def test_the_report_shows_a_logged_question_without_its_escapes(
    data: Path, kb_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--kb", str(kb_file), "ask", HOSTILE]) == 0
    assert main(["--kb", str(kb_file), "ask", "zzz" + TITLE]) == 0
    capsys.readouterr()

    assert main(["--kb", str(kb_file), "report"]) == 0

    out = capsys.readouterr().out
    assert_inert(out)
    assert "pandas" in out and "owned" not in out and "evil" in out


def test_kb_diff_shows_questions_without_their_escapes(
    data: Path, kb_file: Path, edit_kb: EditKb, tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    old = tmp_path / "old.yaml"
    old.write_text(kb_file.read_text())
    edit_kb(lambda text: text.replace(TRADE, "Trade fell."))
    questions = tmp_path / "questions.jsonl"
    questions.write_text(json.dumps({"q": f"what is the trade volume?{TITLE}\u202e"}) + "\n")

    for extra in ([], ["--json"]):
        assert main(["kb", "diff", str(old), str(kb_file), "--questions", str(questions),
                     *extra]) == 0
        out = capsys.readouterr().out
        assert_inert(out)
        assert "trade volume" in out


class Echo:
    """An engine that says back what it was asked (as a fact base's text could)."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.knowledge = kb

    def answer(self, question: Question, last: object = None) -> Answer:
        return Answer(Outcome.ANSWERED, f"you said: {question.text}")

    def complete(self, prefix: str, *, limit: int = 25) -> tuple[()]:
        return ()


def test_the_console_writes_answers_without_escapes(kb: KnowledgeBase) -> None:
    out = io.StringIO()
    console.run(Bot(Echo(kb)), stdin=io.StringIO(HOSTILE + "\nlone \ud800\n"), stdout=out)
    assert_inert(out.getvalue())
    assert out.getvalue().splitlines() == [
        "you said: pandasevil called?",
        "you said: lone \ufffd",
    ]


def test_ask_prints_answers_without_escapes(
    kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import adapters.cli as cli

    monkeypatch.setattr(cli.opscli, "open_ops", lambda args: _Ops(Bot(Echo(kb))))
    monkeypatch.setattr(cli.opscli, "close_ops", lambda ops: None)
    assert main(["ask", HOSTILE]) == 0
    out = capsys.readouterr().out
    assert_inert(out)
    assert out == "you said: pandasevil called?\n"

    assert main(["ask", "--json", HOSTILE]) == 0
    out = capsys.readouterr().out
    assert_inert(out)
    assert json.loads(out)["text"] == f"you said: {HOSTILE}"  # JSON escapes; nothing is lost


class _Ops:
    def __init__(self, live: object) -> None:
        self.bot = live


def test_an_error_line_is_printable(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--kb", str(tmp_path / f"kb{TITLE}.yaml"), "kb", "check"]) == 2
    err = capsys.readouterr().err
    assert_inert(err)
    assert "cannot read" in err


"""The command line as a person (or an eval tool) uses it: a real process, stdin and stdout."""

from __future__ import annotations

import json
import os
import pty
import select
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from adapters import messages

Done = subprocess.CompletedProcess[str]

BOT = [str(Path(sys.executable).with_name("summit-bot")), "--no-log"]  # the installed command


def run(*args: str, stdin: str = "", env: dict[str, str] | None = None) -> Done:
    return subprocess.run(
        [*BOT, *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **(env or {})},
        check=False,
    )


def test_ask_prints_the_answer() -> None:
    done = run("ask", "how many pandas did moscow get?")
    assert done.returncode == 0
    assert "two giant pandas" in done.stdout.lower()


def test_ask_json_prints_the_answer_value() -> None:
    value = json.loads(run("ask", "--json", "who skipped the forum?").stdout)
    assert value["answered"] is True
    assert value["fact_id"] == "huntsman_skipped"
    assert 0.5 <= value["confidence"] <= 1
    assert value["suggestions"] == []


def test_ask_jsonl_keeps_every_key_and_adds_the_bot() -> None:
    lines = [
        {"q": "what did ford do in russia?", "id": 7},
        {"q": "What's the weather in Saint Petersburg?", "kind": "out_of_scope"},
        {"q": ""},
    ]
    done = run("ask", "--jsonl", stdin="\n".join(json.dumps(x) for x in lines) + "\n")
    out = [json.loads(line) for line in done.stdout.splitlines()]
    assert [o.get("id") for o in out] == [7, None, None]
    assert out[0]["bot"]["answered"] and "Ford" in out[0]["bot"]["text"]
    assert out[1]["kind"] == "out_of_scope" and not out[1]["bot"]["answered"]
    assert set(out[2]["bot"]) == {"answered", "text", "fact_id", "confidence", "suggestions"}


def test_console_reads_a_conversation_from_stdin() -> None:
    done = run("console", stdin="who skipped the forum?\nsource?\nquit\nnever read\n")
    replies = done.stdout.strip().splitlines()
    assert "Huntsman" in replies[0]
    assert "paragraph 10" in replies[1]
    assert "never read" not in done.stdout


def test_eval_fails_below_the_bar(tmp_path: Path) -> None:
    questions = tmp_path / "qs.jsonl"
    questions.write_text(
        json.dumps({"q": "what did ford do?", "kind": "plain", "expect": [["nonsense-zzz"]]})
        + "\n"
        + json.dumps({"q": "who won the world cup?", "kind": "out_of_scope", "expect": "abstain"})
        + "\n",
        encoding="utf-8",
    )
    done = run("eval", str(questions), "--min-answerable", "0.9")
    assert done.returncode == 1
    assert "answerable     0.0%" in done.stdout
    assert "abstain        100.0%" in done.stdout
    assert run("eval", str(questions)).returncode == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("kb", "check", "/nonexistent/kb.yaml"), "cannot read"),
        (("--kb", "/nonexistent/kb.yaml", "ask", "hi"), "cannot read"),
        (("eval", "/nonexistent/q.jsonl"), "cannot read"),
        (("ask",), "needs a question"),
    ],
)
def test_errors_are_one_line_and_no_traceback(args: tuple[str, ...], message: str) -> None:
    done = run(*args)
    assert done.returncode == 2
    assert message in done.stderr
    assert "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


def test_a_broken_fact_base_is_named(tmp_path: Path) -> None:
    broken = tmp_path / "event.yaml"
    broken.write_text("event: {name: X}\nfacts:\n  - id: a\n    topic: T\n", encoding="utf-8")
    done = run("kb", "check", str(broken))
    assert done.returncode == 2
    assert "event.yaml" in done.stderr and "fact 'a'" in done.stderr


def test_kb_export_tsv_has_a_row_per_question() -> None:
    rows = run("kb", "export", "--format", "tsv").stdout.splitlines()
    assert rows[0] == "id\ttopic\tquestion\tanswer"
    assert len(rows) > 300 and all(row.count("\t") == 3 for row in rows)


def test_help_on_every_command() -> None:
    for command in ("console", "ask", "eval", "kb", "slack", "discord"):
        done = run(command, "--help")
        assert done.returncode == 0 and "usage:" in done.stdout


def test_ask_still_answers_when_the_question_log_cannot_be_opened(tmp_path: Path) -> None:
    blocked = tmp_path / "a-file-not-a-folder"
    blocked.write_text("", encoding="utf-8")
    done = subprocess.run(
        [BOT[0], "ask", "who skipped the forum?"],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "DATA_DIR": str(blocked / "data")},
        check=False,
    )
    assert done.returncode == 0
    assert "Huntsman" in done.stdout
    assert "answering without logging" in done.stderr


def test_ask_jsonl_answers_every_line_whatever_it_holds() -> None:
    lines = [
        '{"q": "who skipped the forum?", "id": 1}',
        '{"q": "\\ud800 pandas \\udfff", "id": 2, "note": "\\udc00"}',  # lone surrogates
        "not json at all",
        "",
        '["a list"]',
        '{"q": 1' + "0" * 5000 + "}",  # an integer longer than Python reads
        "[" * 100_000,  # nested deeper than the parser goes
        '{"q": {"nested": "object"}, "conversation": ["odd"]}',
        '{"q": "the last line still gets its answer", "id": 9}',
    ]
    done = run("ask", "--jsonl", stdin="\n".join(lines) + "\n")

    assert done.returncode == 0 and "Traceback" not in done.stderr
    out = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(out) == len(lines)
    assert "Huntsman" in out[0]["bot"]["text"]
    assert out[1]["id"] == 2 and out[1]["q"] == "\ufffd pandas \ufffd" and "bot" in out[1]
    assert [o["error"] for o in out[2:7]] == [
        "line 3: not JSON (Expecting value)",
        "line 4: empty",
        'line 5: expected an object like {"q": "..."}',
        "line 6: not JSON this bot can read",
        "line 7: not JSON this bot can read",
    ]
    assert [o["line"] for o in out[2:7]] == [3, 4, 5, 6, 7]
    assert "bot" in out[7] and out[8]["id"] == 9 and "bot" in out[8]


STRICT = {"PYTHONIOENCODING": "utf-8:strict"}  # as under a plain UTF-8 locale


def test_ask_jsonl_reads_bytes_that_are_not_utf8() -> None:
    done = subprocess.run(
        [*BOT, "ask", "--jsonl"], input=b'{"q": "pandas \xff\xfe"}\n\xc3\n{"q": "hi"}\n',
        capture_output=True, timeout=60, env={**os.environ, **STRICT}, check=False,
    )
    assert done.returncode == 0 and b"Traceback" not in done.stderr
    out = [json.loads(line) for line in done.stdout.decode("utf-8").splitlines()]
    assert len(out) == 3 and "bot" in out[0] and "error" in out[1] and "bot" in out[2]
    assert out[0]["q"] == "pandas \ufffd\ufffd"


@pytest.mark.parametrize("env", [{}, STRICT])
def test_the_console_answers_and_logs_odd_bytes(tmp_path: Path, env: dict[str, str]) -> None:
    said = b"who skipped the forum?\n\xff\xfe pandas\n\xed\xa0\x80\nsource?\n"
    done = subprocess.run(
        [BOT[0], "console"], input=said, capture_output=True, timeout=60, check=False,
        env={**os.environ, **env, "DATA_DIR": str(tmp_path), "KB_WATCH_SECONDS": "0"},
    )
    assert done.returncode == 0 and b"Traceback" not in done.stderr, done.stderr
    replies = done.stdout.decode("utf-8").splitlines()
    assert len(replies) == 4 and "Huntsman" in replies[0] and replies[3].startswith("From the")
    with sqlite3.connect(tmp_path / "questions.sqlite3") as db:
        assert db.execute("SELECT COUNT(*) FROM questions").fetchone()[0] == 4


def test_kb_check_names_the_confused_facts_and_strict_fails(tmp_path: Path) -> None:
    done = run("kb", "check", "--strict", env={"DATA_DIR": str(tmp_path)})
    assert done.returncode == 1
    assert "OK, 33 facts" in done.stdout
    assert "held-out phrasings answered by their own fact" in done.stdout
    pair = next(line for line in done.stdout.splitlines() if " <-> " in line)
    assert pair.startswith("  ") and "crossed," in pair and pair.endswith("doubtful")
    assert "was answered by" in done.stdout and "hint: Add a phrasing that says" in done.stdout
    assert len(done.stderr.strip().splitlines()) == 1 and "(--strict)" in done.stderr
    assert not (tmp_path / "cache").exists()  # the folds' fits are never cached


def test_kb_check_skips_the_self_test_of_a_big_fact_base() -> None:
    done = run("kb", "check", "--strict", "--selftest-limit", "100")
    assert done.returncode == 0
    assert "Self-test skipped: 996 phrasings, more than 100" in done.stdout


def _jsonl(path: Path, *items: object) -> Path:
    path.write_text("".join(json.dumps(x) + "\n" for x in items), encoding="utf-8")
    return path


def test_eval_grades_by_fact_id_and_prints_the_confusions(tmp_path: Path) -> None:
    questions = _jsonl(
        tmp_path / "qs.jsonl",
        {"q": "who skipped the forum?", "kind": "plain", "expect": "huntsman_skipped"},
        {"q": "who skipped the forum?", "kind": "wrong", "expect": ["pandas_loan", "ford_exit"]},
        {"q": "who won the world cup?", "kind": "out_of_scope", "expect": "abstain"},
    )
    done = run("eval", str(questions))
    assert done.returncode == 0
    assert "plain             1/1" in done.stdout and "wrong             0/1" in done.stdout
    assert "confusions (expected -> answered):" in done.stdout
    assert "  pandas_loan or ford_exit -> huntsman_skipped  1" in done.stdout.splitlines()


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ({"q": "who skipped?", "expect": "huntsman_skiped"}, 'line 2: expect "huntsman_skiped" '
         'is not a fact id; did you mean "huntsman_skipped"?'),
        ({"q": "who skipped?", "expect": 3}, "line 2: expect must be a fact id"),
        ({"q": "who skipped?"}, 'line 2: no "expect"'),
        ({"q": "", "expect": "abstain"}, 'line 2: "q" must be the question'),
    ],
)
def test_a_bad_eval_line_is_named_before_any_question_is_asked(
    tmp_path: Path, line: object, message: str
) -> None:
    good = {"q": "who skipped the forum?", "expect": "huntsman_skipped"}
    done = run("eval", str(_jsonl(tmp_path / "qs.jsonl", good, line, good)))
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.startswith(f"summit-bot: error: {message}")
    assert len(done.stderr.strip().splitlines()) == 1


def test_the_console_at_a_terminal_says_it_is_getting_ready_then_greets(tmp_path: Path) -> None:
    """A person at a terminal sees something at once: the first start fits the matcher to the
    fact base, which takes seconds, before the greeting and the prompt."""
    main, child = pty.openpty()
    env = {**os.environ, "DATA_DIR": str(tmp_path)}  # an empty cache: the slow first start
    terminal = {"stdin": child, "stdout": child, "stderr": child}
    with subprocess.Popen([*BOT, "console"], env=env, **terminal) as proc:
        os.close(child)
        os.write(main, b"quit\n")
        seen = b""
        while select.select([main], [], [], 60)[0]:
            try:
                chunk = os.read(main, 4096)
            except OSError:  # the terminal is closed: the console has ended
                break
            if not chunk:
                break
            seen += chunk
        assert proc.wait(timeout=60) == 0
    os.close(main)
    text = seen.decode("utf-8", "replace")
    assert text.index(messages.GETTING_READY) < text.index("ask me anything")

"""A fact base path that is not a fact base fails at once with one line: a device, a pipe, a
folder or a huge file is refused before it is read, and a file that is not a fact base is
named with a line and column, never quoted."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bot import KnowledgeError
from knowledge.loader import MAX_FILE_BYTES, load_knowledge

BOT = [str(Path(sys.executable).with_name("summit-bot")), "--no-log"]
SECRET = "hunter2"


def check(path: Path | str, *command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*BOT, "--kb", str(path), *(command or ("kb", "check"))],
                          capture_output=True, text=True, timeout=30, check=False)


@pytest.mark.parametrize("command", [("kb", "check"), ("ask", "hi"), ("console",)])
def test_a_device_is_refused_at_once(command: tuple[str, ...]) -> None:
    started = time.monotonic()
    done = check("/dev/zero", *command)
    assert time.monotonic() - started < 15
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.strip() == "summit-bot: error: /dev/zero: not a regular file"


def test_a_pipe_and_a_folder_are_refused_without_waiting(tmp_path: Path) -> None:
    pipe = tmp_path / "kb.yaml"
    os.mkfifo(pipe)
    for path in (pipe, tmp_path):
        with pytest.raises(KnowledgeError, match=r"not a regular file$"):
            load_knowledge(path)  # a pipe would block for ever if it were opened


def test_a_file_over_the_limit_is_refused_before_it_is_read(tmp_path: Path) -> None:
    huge = tmp_path / "huge.yaml"
    with huge.open("wb") as f:
        f.truncate(MAX_FILE_BYTES + 1)  # sparse: nothing is written
    with pytest.raises(KnowledgeError, match=r"huge\.yaml: larger than 5 MB"):
        load_knowledge(huge)
    assert MAX_FILE_BYTES == 5 * 1024 * 1024


@pytest.mark.parametrize(
    ("content", "where"),
    [
        (f"Dear organisers: my password is {SECRET}\nRegards: Bob\n", "an unknown key"),
        (f"# Notes\n\nThe {SECRET} plan: hand out pandas\nevent: x\n", "an unknown key"),
        (f'event: {{name: "{SECRET}\nfacts: []\n', "line 3, column 1"),
        (f"root:x:0:0:{SECRET}:/root:/bin/bash\n", "expected a mapping"),
        (f"[{SECRET}, {SECRET}\n", "line 2, column 1"),
        (f"facts:\n  - id: {SECRET} is not an id\n    topic: t\n", "fact #1"),
        (f"facts:\n  - {{id: a, topic: t, {SECRET} field: 1}}\n", "an unknown key"),
        (f"\tkey: {SECRET}\n", "line 1, column 1"),
    ],
)
def test_content_that_fails_to_parse_is_never_echoed(
    tmp_path: Path, content: str, where: str
) -> None:
    path = tmp_path / "notes.txt"
    path.write_text(content, encoding="utf-8")

    done = check(path)

    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert done.stderr.startswith(f"summit-bot: error: {path}:")
    assert where in done.stderr
    assert SECRET not in done.stderr and "Dear" not in done.stderr and "Notes" not in done.stderr


def test_mistakes_in_a_real_fact_base_are_still_named(tmp_path: Path) -> None:
    path = tmp_path / "event.yaml"
    path.write_text("event: {name: X}\nfacts:\n  - id: zoo\n    topc: T\n", encoding="utf-8")
    done = check(path)
    assert "fact 'zoo', field 'topc'" in done.stderr and "fact 'zoo', field 'topic'" in done.stderr


def test_kb_new_refuses_what_kb_refuses(tmp_path: Path) -> None:
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as f:
        f.truncate(MAX_FILE_BYTES + 1)
    for article, message in ((Path("/dev/zero"), "not a regular file"),
                             (tmp_path, "not a regular file"),
                             (huge, "larger than 5 MB")):
        done = check(tmp_path / "unused.yaml", "kb", "new", str(article),
                     "-o", str(tmp_path / "out.yaml"))
        assert done.returncode == 2
        assert done.stderr.strip() == f"summit-bot: error: {article}: {message}"
    assert not (tmp_path / "out.yaml").exists()


def test_kb_new_writes_where_it_is_told_and_the_draft_loads(tmp_path: Path) -> None:
    article = tmp_path / "report.txt"
    article.write_text("Results\nAnna Berg won the ten kilometre race in record time today.\n",
                       encoding="utf-8")
    done = check(tmp_path / "unused.yaml", "kb", "new", str(article), "-o", str(tmp_path / "k.yml"))
    assert done.returncode == 0 and f"then: summit-bot kb check {tmp_path / 'k.yml'}" in done.stdout
    assert not article.with_suffix(".yaml").exists()
    assert [f.topic for f in load_knowledge(tmp_path / "k.yml").facts] == ["Results"]

"""Logs: JSON lines or text, platform/conversation/outcome as fields, no token, no question text
unless at DEBUG or LOG_QUESTIONS=true; platform errors counted from the adapters' own logs."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest

from bot import Answer, Engine, Question
from operations.live import Bot
from operations.logs import setup_logging
from operations.observe import Metrics, Observer, count_platform_errors
from operations.settings import read

TOKEN = "xoxb-1234-5678-abcdefSECRET"
QUESTION = "who skipped the forum?"


@pytest.fixture
def restore_logging() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


def logged(engine: Engine, **env: str) -> list[str]:
    stream = io.StringIO()
    setup_logging(read({"SLACK_BOT_TOKEN": TOKEN, **env}).settings, stream=stream)
    observer = Observer(log_questions=env.get("LOG_QUESTIONS") == "true")
    Bot(engine, observer=observer).ask(Question(QUESTION, "slack", "slack:T1:C1:17.1", user="U1"))
    logging.getLogger("summit_bot.slack").error("chat.postMessage failed with %s", TOKEN)
    try:
        raise RuntimeError(f"boom {TOKEN}")
    except RuntimeError:
        logging.getLogger("summit_bot.slack").exception("listener failed")
    return stream.getvalue().splitlines()


@pytest.mark.usefixtures("restore_logging")
def test_json_lines_with_fields_and_no_secret_or_question(engine: Engine) -> None:
    lines = logged(engine, LOG_FORMAT="json")
    records = [json.loads(line) for line in lines if line.startswith("{")]

    answer = next(r for r in records if r["logger"] == "summit_bot.answers")
    assert answer["platform"] == "slack" and answer["conversation"] == "slack:T1:C1:17.1"
    assert answer["outcome"] == "answered" and answer["fact_id"] and answer["level"] == "INFO"
    assert "question" not in answer
    assert any("RuntimeError" in r.get("error", "") for r in records)
    text = "\n".join(lines)
    assert TOKEN not in text and "SECRET" not in text and "[secret]" in text
    assert QUESTION not in text


@pytest.mark.usefixtures("restore_logging")
@pytest.mark.parametrize("env", [{"LOG_LEVEL": "DEBUG"}, {"LOG_QUESTIONS": "true"}])
def test_the_question_text_only_at_debug_or_when_asked_for(
    engine: Engine, env: dict[str, str]
) -> None:
    lines = logged(engine, LOG_FORMAT="json", **env)
    answer = next(json.loads(line) for line in lines if "summit_bot.answers" in line)
    assert answer["question"] == QUESTION


@pytest.mark.usefixtures("restore_logging")
def test_readable_text_by_default(engine: Engine) -> None:
    lines = logged(engine)
    [answer] = [line for line in lines if "summit_bot.answers" in line]

    assert " INFO summit_bot.answers slack answered " in answer
    assert "platform=slack" in answer and "outcome=answered" in answer
    assert not any(line.startswith("{") for line in lines)
    assert TOKEN not in "\n".join(lines)


def test_platform_errors_are_counted_from_the_adapters_logs() -> None:
    metrics = Metrics()
    handler = count_platform_errors(metrics)
    try:
        logging.getLogger("summit_bot.slack").warning("chat.postMessage rate-limited")
        logging.getLogger("summit_bot.slack").error("chat.postMessage failed")
        logging.getLogger("adapters.discord.client").error("interaction failed")
        logging.getLogger("discord.gateway").warning("shard is slow")  # library warning: no
        logging.getLogger("summit_bot.state").warning("redis unreachable")  # not a platform
    finally:
        logging.getLogger().removeHandler(handler)

    count = metrics.value
    assert count("summit_platform_errors_total", platform="slack", level="warning") == 1
    assert count("summit_platform_errors_total", platform="slack", level="error") == 1
    assert count("summit_platform_errors_total", platform="discord", level="error") == 1
    assert count("summit_platform_errors_total", platform="discord", level="warning") == 0


def test_an_engine_error_is_counted_and_raised(engine: Engine) -> None:
    def broken(question: Question) -> Answer:
        raise RuntimeError("bug")

    observer = Observer()
    with pytest.raises(RuntimeError):
        observer.answer(broken, Question("x", "discord"))
    assert observer.metrics.value("summit_engine_errors_total", platform="discord") == 1

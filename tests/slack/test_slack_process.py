"""`summit-bot slack --http` as a real process: settings from the environment, /healthz,
/metrics, shared state in Redis, JSON logs without secrets, a clean stop on SIGTERM, and a
start while the question log's database is down."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import aiohttp

from operations import messages
from operations.questionlog.spool import SPOOL_FILE, Spool
from tests.fakes.slack_api import FakeSlack
from tests.fakes.slack_workspace import SIGNING_SECRET, sign
from tests.payloads import payload
from tests.processes import BotProcess
from tests.redis_server import free_port
from tests.slack.conftest import MINI_KB

QUESTION = "who skipped the forum?"


def _signed(event_id: str, event: dict[str, object]) -> tuple[str, dict[str, str]]:
    """An Events API envelope carrying `event`, and the headers Slack would sign it with."""
    body = json.dumps({**payload("slack/event_callback"), "event_id": event_id, "event": event})
    return body, {"Content-Type": "application/json", **sign(body)}


def _env(fake: FakeSlack, **extra: str) -> dict[str, str]:
    """What every process test sets: the fake Slack's token, secret and address."""
    base = {"SLACK_BOT_TOKEN": fake.token, "SLACK_SIGNING_SECRET": SIGNING_SECRET,
            "SLACK_API_URL": fake.api_url}
    return {**base, **extra}


def _args(port: int) -> list[str]:
    return ["--kb", str(MINI_KB), "slack", "--http", "--port", str(port)]


def _mention(event_id: str) -> tuple[str, dict[str, str]]:
    return _signed(event_id, {**payload("slack/app_mention"), "text": f"<@UBOT> {QUESTION}"})


async def test_the_http_adapter_runs_reports_and_stops_cleanly(
    fake: FakeSlack, redis_url: str, tmp_path: Path
) -> None:
    port = free_port()
    env = _env(fake, REDIS_URL=redis_url, LOG_FORMAT="json")
    args = _args(port)
    async with BotProcess.start(args, env, health_port=free_port(), log=tmp_path / "log") as bot:
        health = await bot.ready()
        body, headers = _mention("Ev0PROCESS")
        url = f"http://127.0.0.1:{port}/slack/events"
        async with aiohttp.ClientSession() as http:
            async with http.post(url, data=body, headers=headers) as response:
                assert response.status == 200
            junk = {"Content-Type": "application/json", "X-Slack-Request-Timestamp": "abc"}
            async with http.post(url, data="{not json", headers=junk) as refused:
                assert refused.status == 401  # unsigned junk: turned away at the door
        [answer] = await fake.next_calls("chat.postMessage", after=0)
        metrics = await bot.metrics()
        code = await bot.terminate()

    assert health["status"] == "ok" and health["connected"] is True
    assert health["shared_state"] == {"backend": "redis", "up": True}
    assert "American business leaders" in answer["text"]
    assert 'summit_questions_total{outcome="answered",platform="slack"} 1.0' in metrics
    assert "summit_shared_state_up 1.0" in metrics
    assert code == 0
    records = [json.loads(line) for line in bot.log_lines()]  # every line is JSON
    [answered] = [r for r in records if r.get("outcome") == "answered"]
    assert answered["platform"] == "slack" and answered["conversation"].startswith("slack:")
    assert any(r["message"] == "slack stopped" for r in records)
    [door] = [r for r in records if r["message"].startswith("refused a request")]
    assert door["level"] == "WARNING" and "error" not in door and "Traceback" not in bot.text()
    text = bot.text()
    assert fake.token not in text and SIGNING_SECRET not in text and QUESTION not in text


async def test_the_http_adapter_starts_and_answers_while_the_question_log_is_down(
    fake: FakeSlack, tmp_path: Path
) -> None:
    """PostgreSQL out of reach at start: the bot serves, degraded, and keeps the questions."""
    port, data = free_port(), tmp_path / "data"
    database = f"postgresql://summit@127.0.0.1:{free_port()}/summit"  # nothing listens there
    env = _env(fake, DATABASE_URL=database, DATA_DIR=str(data), LOG_FORMAT="json")
    args = _args(port)
    async with BotProcess.start(args, env, health_port=free_port(), log=tmp_path / "log") as bot:
        health = await bot.ready()
        body, headers = _mention("Ev0DEGRADED")
        async with aiohttp.ClientSession() as http, http.post(
            f"http://127.0.0.1:{port}/slack/events", data=body, headers=headers
        ) as response:
            assert response.status == 200
        [answer] = await fake.next_calls("chat.postMessage", after=0)
        for _ in range(100):  # the writer's thread spools it (bounded wait)
            metrics = await bot.metrics()
            if "summit_question_log_spooled 1.0" in metrics:
                break
            await asyncio.sleep(0.05)
        code = await bot.terminate()

    assert health["status"] == "degraded" and health["connected"] is True
    assert health["question_log"] == {"state": "spooling", "spooled": 0, "dropped": 0}
    assert "American business leaders" in answer["text"]
    assert "summit_question_log_up 0.0" in metrics
    assert "summit_question_log_spooled 1.0" in metrics
    assert code == 0
    records = [json.loads(line) for line in bot.log_lines()]  # every line is JSON
    assert not [r for r in records if "error" in r], "no traceback"
    [down] = [r for r in records if " is down " in r["message"]]
    assert "is down at start: degraded" in down["message"] and down["level"] == "WARNING"
    assert Spool(data / SPOOL_FILE, limit=10).peek(10)[1][0].text == QUESTION  # for next start


async def test_the_default_rate_limit_lets_a_burst_through_then_refuses_privately(
    fake: FakeSlack, redis_url: str, tmp_path: Path
) -> None:
    port = free_port()
    env = _env(fake, REDIS_URL=redis_url)
    args = _args(port)
    async with BotProcess.start(args, env, health_port=free_port(), log=tmp_path / "log") as bot:
        await bot.ready()
        async with aiohttp.ClientSession() as http:
            for n in range(6):  # six DMs in a moment, from one person
                event = {**payload("slack/message"), "ts": f"1700000100.00010{n}"}
                body, headers = _signed(f"Ev0BURST{n}", event)
                url = f"http://127.0.0.1:{port}/slack/events"
                async with http.post(url, data=body, headers=headers) as response:
                    assert response.status == 200
        answers = await fake.next_calls("chat.postMessage", after=0, count=5)
        [refused] = await fake.next_calls("chat.postEphemeral", after=0)
        assert await bot.terminate() == 0

    assert all("American business leaders" in a["text"] for a in answers)
    assert refused["text"] == messages.COOLDOWN.format(seconds=3)
    assert refused["user"] == "UALICE" and len(fake.calls("chat.postMessage")) == 5

"""The service runner: /healthz and /metrics, readiness, shared state, the clean stop.

A `Pretend` service stands in for Slack or Discord, so each step can be held and checked.
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from bot import Answer, ConfigError, Engine, KnowledgeBase, Outcome, Question
from operations import messages
from operations.live import Bot
from operations.observe import Observer
from operations.questionlog import QuestionLog, SQLiteStore
from operations.questionlog.spool import Spool
from operations.service import Runtime, prepare, serve
from operations.settings import read
from operations.state import open_state
from tests.bots import HeldObserver
from tests.questionlog.doubles import DownStore
from tests.redis_server import free_port


class Pretend:
    """A platform connection whose state the test sets."""

    platform = "pretend"
    health_app: web.Application | None = None

    def __init__(self, *, fail: Exception | None = None) -> None:
        self.is_connected = False
        self.busy = 0
        self.calls: list[str] = []
        self._fail = fail

    async def run(self) -> None:
        if self._fail is not None:
            raise self._fail
        await asyncio.Event().wait()

    async def connected(self) -> bool:
        return self.is_connected

    async def stop_intake(self) -> None:
        self.calls.append("stop_intake")

    def in_flight(self) -> int:
        return self.busy

    async def close(self) -> None:
        self.calls.append("close")


class Running:
    def __init__(self, port: int, http: aiohttp.ClientSession, task: asyncio.Task[int]) -> None:
        self.port, self.http, self.task = port, http, task

    async def get(self, path: str) -> tuple[int, Any]:
        async with self.http.get(f"http://127.0.0.1:{self.port}{path}") as response:
            body = await (response.json() if path == "/healthz" else response.text())
            return response.status, body

    async def until(self, condition: Callable[[], Any], timeout: float = 5.0) -> None:
        async with asyncio.timeout(timeout):
            while not condition():
                await asyncio.sleep(0.01)


Start = Callable[..., Any]


@pytest.fixture
def start(engine: Engine) -> Start:
    @asynccontextmanager
    async def start(
        service: Pretend,
        env: dict[str, str] | None = None,
        stop: asyncio.Event | None = None,
        question_log: QuestionLog | None = None,
    ) -> AsyncIterator[Running]:
        port = free_port()
        settings = read({"HEALTH_PORT": str(port), **(env or {})}).settings
        observer = Observer()
        observer.fact_base(engine.knowledge)
        if question_log is not None:
            observer.metrics.question_log(question_log.stats)
        bot = Bot(engine, log=question_log, observer=observer)
        runtime = Runtime(bot, open_state(settings), observer, settings)
        task = asyncio.create_task(serve(runtime, service, stop=stop or asyncio.Event()))
        async with aiohttp.ClientSession() as http:
            running = Running(port, http, task)
            await running.until(lambda: _listening(port) or task.done())
            yield running
        if not task.done():
            task.cancel()

    return start


def _listening(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


async def test_ready_only_when_connected(start: Start, kb: KnowledgeBase) -> None:
    service = Pretend()
    async with start(service) as running:
        status, body = await running.get("/healthz")
        assert status == 503 and body["status"] == "not_ready" and not body["connected"]

        service.is_connected = True
        status, body = await running.get("/healthz")

    assert status == 200 and body["status"] == "ok"
    assert body["fact_base"] == {"facts": len(kb.facts), "version": kb.version}
    assert body["shared_state"] == {"backend": "memory", "up": True}


async def test_metrics_in_prometheus_text_format(start: Start, engine: Engine) -> None:
    service = Pretend()
    service.is_connected = True
    async with start(service) as running:
        status, text = await running.get("/metrics")

    assert status == 200
    assert 'summit_ready{platform="pretend"} 1.0' in text
    assert f"summit_fact_base_facts {float(len(engine.knowledge.facts))}" in text
    assert f'version="{engine.knowledge.version}"' in text
    assert 'summit_questions_total{outcome="abstained",platform="pretend"} 0.0' in text
    assert "summit_answer_seconds_bucket" in text and "summit_platform_errors" in text


async def test_redis_down_is_degraded_but_ready(start: Start) -> None:
    service = Pretend()
    service.is_connected = True
    unreachable = {"REDIS_URL": f"redis://127.0.0.1:{free_port()}/0"}
    async with start(service, unreachable) as running:
        status, body = await running.get("/healthz")
        _, text = await running.get("/metrics")

    assert status == 200 and body["status"] == "degraded"
    assert body["shared_state"] == {"backend": "redis", "up": False, "fallback": "local"}
    assert "summit_shared_state_up 0.0" in text


@pytest.mark.parametrize("down", [False, True])
async def test_the_question_log_state_is_on_healthz_and_in_metrics(
    start: Start, tmp_path: Path, down: bool
) -> None:
    """Its database down, questions wait in the spool: degraded, still ready (it answers)."""
    store = DownStore(SQLiteStore(tmp_path / "log.sqlite3"), down=down)
    log = QuestionLog(store, salt="s", spool=Spool(None, limit=2))  # type: ignore[arg-type]
    for n in range(3):
        log.question(Question(f"q{n}", "pretend", "c"), Answer(Outcome.ABSTAINED, ""),
                     kb_version="v")
    assert log.flush()
    service = Pretend()
    service.is_connected = True
    async with start(service, question_log=log) as running:
        status, body = await running.get("/healthz")
        _, text = await running.get("/metrics")
    log.close()

    assert status == 200
    if down:
        assert body["status"] == "degraded"
        assert body["question_log"] == {"state": "spooling", "spooled": 2, "dropped": 1}
        assert "summit_question_log_up 0.0" in text
        assert "summit_question_log_spooled 2.0" in text
        assert "summit_question_log_dropped_total 1.0" in text
    else:
        assert body["status"] == "ok"
        assert body["question_log"] == {"state": "ok", "spooled": 0, "dropped": 0}
        assert "summit_question_log_up 1.0" in text
        assert "summit_question_log_written_total 3.0" in text


async def test_a_stop_finishes_the_work_in_flight_then_closes(start: Start) -> None:
    service, stop = Pretend(), asyncio.Event()
    service.is_connected, service.busy = True, 1
    async with start(service, stop=stop) as running:
        stop.set()
        await running.until(lambda: "stop_intake" in service.calls)
        status, body = await running.get("/healthz")  # still up while draining
        assert status == 503 and body["status"] == "stopping"
        assert not running.task.done()  # one event is still being answered

        service.busy = 0
        assert await asyncio.wait_for(running.task, 5) == 0

    assert service.calls == ["stop_intake", "close"]
    assert not _listening(running.port)


async def test_a_stop_gives_up_on_stuck_work_after_the_timeout(
    start: Start, caplog: pytest.LogCaptureFixture
) -> None:
    service, stop = Pretend(), asyncio.Event()
    service.busy = 2
    async with start(service, {"SHUTDOWN_TIMEOUT": "0.1"}, stop=stop) as running:
        stop.set()
        assert await asyncio.wait_for(running.task, 5) == 0

    assert service.calls == ["stop_intake", "close"]
    assert "2 events unfinished" in caplog.text


async def test_a_refused_connection_stops_with_its_config_error(start: Start) -> None:
    service = Pretend(fail=ConfigError("SLACK_APP_TOKEN was rejected by Slack"))
    async with start(service) as running:
        with pytest.raises(ConfigError, match="SLACK_APP_TOKEN"):
            await asyncio.wait_for(running.task, 5)

    assert service.calls == ["close"]


def test_answers_are_counted_by_platform_and_outcome(engine: Engine) -> None:
    observer = Observer()
    bot = Bot(engine, observer=observer)
    bot.ask(Question("who skipped the forum?", "slack", "c1"))
    bot.ask(Question("help", "slack", "c1"))
    bot.ask(Question("a good pizza recipe with pineapple?", "discord", "c2"))

    value = observer.metrics.value
    assert value("summit_questions_total", platform="slack", outcome="answered") == 1
    assert value("summit_questions_total", platform="slack", outcome="command") == 1
    assert value("summit_questions_total", platform="discord", outcome="abstained") == 1
    assert value("summit_answer_seconds_count", platform="slack") == 2


async def test_the_event_loop_goes_on_while_the_engine_answers(engine: Engine) -> None:
    observer = HeldObserver()
    bot = Bot(engine, observer=observer)
    asked = asyncio.create_task(bot.ask_async(Question("who skipped the forum?")))
    assert await asyncio.to_thread(observer.working.wait, 5)
    observer.go_on.set()  # run by the event loop while the engine is mid-answer
    assert "Huntsman" in (await asked).text


async def test_questions_not_yet_answered_are_counted_as_pending(engine: Engine) -> None:
    observer = HeldObserver()
    bot = Bot(engine, observer=observer)
    asked = [
        asyncio.create_task(bot.ask_async(Question(text, "slack", "c1")))
        for text in ("who skipped the forum?", "source?")
    ]
    assert await asyncio.to_thread(observer.working.wait, 5)
    assert observer.metrics.value("summit_questions_pending") == 2  # one answering, one waiting
    observer.go_on.set()
    await asyncio.gather(*asked)
    assert observer.metrics.value("summit_questions_pending") == 0
    assert observer.metrics.value("summit_questions_total", platform="slack",
                                  outcome="command") == 1


async def test_a_question_beyond_the_most_pending_is_told_the_bot_is_busy(
    engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    observer = HeldObserver()
    bot = Bot(engine, observer=observer, max_pending=2)
    waiting = [
        asyncio.create_task(bot.ask_async(Question("who skipped the forum?", "slack", f"c{n}")))
        for n in (1, 2)
    ]
    assert await asyncio.to_thread(observer.working.wait, 5)

    turned_away = [
        await bot.ask_async(Question("who skipped the forum?", "slack", f"c{n}")) for n in (3, 4)
    ]

    assert all(a.text == messages.BUSY and not a.answered for a in turned_away)
    assert observer.metrics.value("summit_questions_turned_away_total", platform="slack") == 2
    warned = [r for r in caplog.records if "MAX_PENDING_QUESTIONS" in r.getMessage()]
    assert len(warned) == 1 and warned[0].levelname == "WARNING"  # once a minute, not per question
    observer.go_on.set()
    assert all("Huntsman" in a.text for a in await asyncio.gather(*waiting))
    room_again = await bot.ask_async(Question("who skipped the forum?", "slack", "c3"))
    assert "Huntsman" in room_again.text
    assert observer.metrics.value("summit_questions_pending") == 0


def test_the_most_pending_questions_come_from_the_settings(engine: Engine) -> None:
    bot = Bot(engine)
    prepare(bot, read({"MAX_PENDING_QUESTIONS": "7"}).settings)
    assert bot.max_pending == 7


async def test_a_taken_health_port_is_a_config_error(engine: Engine) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        settings = read({"HEALTH_PORT": str(port)}).settings
        runtime = Runtime(Bot(engine), open_state(settings), Observer(), settings)
        service = Pretend()
        with pytest.raises(ConfigError, match=f"HEALTH_PORT: cannot listen on 127.0.0.1:{port}"):
            await serve(runtime, service)

    assert service.calls == ["close"]

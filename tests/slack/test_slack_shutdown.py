"""SIGTERM in the middle of a burst, on a real `summit-bot slack --http` process: every request
the server had already accepted gets its whole response and its answer, the question log keeps
every question, and the process exits 0. New connections are refused meanwhile."""

from __future__ import annotations

import asyncio
import json
import signal
from pathlib import Path

from operations.ops_settings import OpsSettings
from operations.questionlog import open_store
from tests.fakes.slack_api import FakeSlack
from tests.fakes.slack_workspace import SIGNING_SECRET, sign
from tests.payloads import payload
from tests.processes import STOP_TIMEOUT, BotProcess
from tests.redis_server import free_port
from tests.slack.conftest import MINI_KB

BURST = 8
QUESTION = "who skipped the forum?"


class Request:
    """A signed event sent in two halves: headers (the server answers 100 Continue once it has
    taken the request), then the body; so SIGTERM can land while the request is in flight."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, body: bytes
                 ) -> None:
        self.reader, self.writer, self.body = reader, writer, body

    @classmethod
    async def begin(cls, port: int, n: int) -> Request:
        envelope = {**payload("slack/event_callback"), "event_id": f"Ev0BURST{n}"}
        envelope["event"] = {**payload("slack/app_mention"), "text": f"<@UBOT> {QUESTION}",
                             "ts": f"1700000000.{n:06}"}
        body = json.dumps(envelope)
        headers = {
            "Host": f"127.0.0.1:{port}", "Content-Type": "application/json",
            "Content-Length": str(len(body.encode())), "Expect": "100-continue", **sign(body),
        }
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        head = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
        writer.write(f"POST /slack/events HTTP/1.1\r\n{head}\r\n".encode())
        await writer.drain()
        assert await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 5) == (
            b"HTTP/1.1 100 Continue\r\n\r\n"
        )
        return cls(reader, writer, body.encode())

    async def finish(self) -> tuple[int, bytes]:
        """Send the body; the status and the whole body of the response."""
        self.writer.write(self.body)
        await self.writer.drain()
        head = await asyncio.wait_for(self.reader.readuntil(b"\r\n\r\n"), 10)
        status, *lines = head.decode().split("\r\n")
        headers = dict(line.lower().split(": ", 1) for line in lines if line)
        content = await self.reader.readexactly(int(headers["content-length"]))
        self.writer.close()
        return int(status.split()[1]), content


async def refused(port: int) -> bool:
    try:
        _, writer = await asyncio.open_connection("127.0.0.1", port)
    except OSError:
        return True
    writer.close()
    return False


async def test_sigterm_in_a_burst_answers_every_request_already_accepted(
    fake: FakeSlack, tmp_path: Path
) -> None:
    port, data = free_port(), tmp_path / "data"
    env = {
        "SLACK_BOT_TOKEN": fake.token, "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": fake.api_url, "DATA_DIR": str(data), "LOG_FORMAT": "json",
        "RATE_LIMIT_SECONDS": "0",  # one person sends 8: the drain is under test, not the limit
    }
    args = ["--kb", str(MINI_KB), "slack", "--http", "--port", str(port)]
    async with BotProcess.start(args, env, health_port=free_port(), log=tmp_path / "log") as bot:
        await bot.ready()
        burst = [await Request.begin(port, n) for n in range(BURST)]
        bot.process.send_signal(signal.SIGTERM)
        for _ in range(100):  # it stops listening at once (bounded wait)
            if await refused(port):
                break
            await asyncio.sleep(0.05)
        assert await refused(port)
        responses = await asyncio.gather(*(request.finish() for request in burst))
        code = await asyncio.wait_for(bot.process.wait(), STOP_TIMEOUT)

    assert responses == [(200, b"")] * BURST, bot.text()
    assert code == 0
    answers = fake.calls("chat.postMessage")
    assert len(answers) == BURST and all("American business" in a["text"] for a in answers)
    with open_store(OpsSettings(data_dir=data)) as log:
        assert [q.text for q in log.questions()] == [QUESTION] * BURST
    records = [json.loads(line) for line in bot.log_lines()]
    ours = [r for r in records if r["logger"].startswith("summit_bot")]
    assert not [r for r in ours if r["level"] in ("WARNING", "ERROR")], bot.text()
    assert any(r["message"] == "slack stopped" for r in ours)

"""Run `summit-bot` as a real process, as Docker does, and talk to its /healthz and /metrics.

    async with BotProcess.start(["slack", "--http"], env, health_port=port) as bot:
        await bot.ready()                        # GET /healthz until 200 (bounded)
        text = await bot.metrics()
        assert await bot.terminate() == 0        # SIGTERM, as `docker stop` sends
    bot.log_lines()                              # what it wrote on stderr
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiohttp

SUMMIT_BOT = str(Path(sys.executable).with_name("summit-bot"))
PLATFORM_PREFIXES = ("SLACK_", "DISCORD_", "REDIS_", "LOG_", "HEALTH_", "SUMMIT_KB")
READY_TIMEOUT = 30.0
STOP_TIMEOUT = 15.0


class BotProcess:
    def __init__(self, process: asyncio.subprocess.Process, log: Path, health_port: int) -> None:
        self.process, self.log, self.health_port = process, log, health_port

    @classmethod
    @asynccontextmanager
    async def start(
        cls, args: list[str], env: Mapping[str, str], *, health_port: int, log: Path
    ) -> AsyncIterator[BotProcess]:
        clean = {k: v for k, v in os.environ.items() if not k.startswith(PLATFORM_PREFIXES)}
        with log.open("wb") as stderr:
            process = await asyncio.create_subprocess_exec(
                SUMMIT_BOT, *args, env={**clean, **env, "HEALTH_PORT": str(health_port)},
                stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.DEVNULL,
                stderr=stderr,
            )
        bot = cls(process, log, health_port)
        try:
            yield bot
        finally:
            if process.returncode is None:
                process.kill()
                await process.wait()

    async def get(self, path: str) -> tuple[int, str]:
        url = f"http://127.0.0.1:{self.health_port}{path}"
        async with aiohttp.ClientSession() as http, http.get(url) as response:
            return response.status, await response.text()

    async def ready(self) -> dict[str, Any]:
        """Wait until /healthz says 200; fail with the log if the process ends or it takes long."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + READY_TIMEOUT
        while loop.time() < deadline:
            if self.process.returncode is not None:
                raise AssertionError(f"summit-bot exited {self.process.returncode}:\n{self.text()}")
            try:
                status, body = await self.get("/healthz")
                if status == 200:
                    return dict(json.loads(body))
            except aiohttp.ClientError:
                pass  # not listening yet
            await asyncio.sleep(0.1)
        raise AssertionError(f"not ready after {READY_TIMEOUT} s:\n{self.text()}")

    async def metrics(self) -> str:
        status, text = await self.get("/metrics")
        assert status == 200
        return text

    async def terminate(self) -> int:
        """SIGTERM, then the exit code (bounded wait)."""
        self.process.send_signal(signal.SIGTERM)
        return await asyncio.wait_for(self.process.wait(), STOP_TIMEOUT)

    def text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def log_lines(self) -> list[str]:
        return [line for line in self.text().splitlines() if line.strip()]

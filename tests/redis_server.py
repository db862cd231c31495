"""A real redis-server for the tests, on a free local port in a temporary folder.

    def test_x(redis_url: str) -> None: ...       # the session's server, emptied before the test
    def test_y(redis_process: RedisServer) -> None:
        redis_process.stop()                      # a server of the test's own, to kill

The binary is Debian's `redis-server` (`make test` and `.ci/run` install it when missing).
Without it the Redis tests are skipped, saying so, except in CI (CI=true), where they fail:
CI must prove the shared state, never skip it.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import redis

from operations.settings import read
from operations.state import State, open_state

START_TIMEOUT = 10.0


def free_port() -> int:
    """A TCP port nothing listens on now (also the address of an unreachable Redis)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def binary() -> str:
    """The redis-server path; skip (or fail in CI) when it is not installed."""
    found = shutil.which("redis-server")
    if found:
        return found
    reason = "redis-server is not installed (apt-get install redis-server; make test does it)"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason}: CI must run the Redis tests")
    pytest.skip(reason)


class RedisServer:
    """One redis-server process: no persistence, loopback only."""

    def __init__(self, path: str, root: Path) -> None:
        self._path = path
        self.root = root
        self.port = 0
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        """Start on a free port; a restart after `stop` takes the same port again."""
        restart = self.port != 0
        for _ in range(3):  # a free port can be taken between the look and the bind: try again
            self.port = self.port if restart else free_port()
            self._process = subprocess.Popen(
                [self._path, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
                 "--appendonly", "no", "--dir", str(self.root), "--logfile", "redis.log"],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            )
            if self._wait_ready():
                return
            self.stop()
        log = self.root / "redis.log"
        detail = log.read_text(errors="replace")[-1000:] if log.exists() else ""
        raise RuntimeError(f"redis-server did not start: {detail}")

    def stop(self) -> None:
        if self._process is None:
            return
        self._process.terminate()
        try:
            self._process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        self._process = None

    def client(self) -> redis.Redis:
        return redis.Redis.from_url(self.url, decode_responses=True)

    def _wait_ready(self) -> bool:
        deadline = time.monotonic() + START_TIMEOUT
        client = self.client()
        try:
            while time.monotonic() < deadline:
                if self._process is None or self._process.poll() is not None:
                    return False
                try:
                    if client.ping():
                        return True
                except redis.ConnectionError:
                    time.sleep(0.02)  # a process starting: the only wait, bounded
            return False
        finally:
            client.close()


@pytest.fixture(scope="session")
def redis_server() -> Iterator[RedisServer]:
    path = binary()
    root = Path(tempfile.mkdtemp(prefix="summit-redis-"))
    server = RedisServer(path, root)
    server.start()
    try:
        yield server
    finally:
        server.stop()
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def redis_url(redis_server: RedisServer) -> str:
    """The session server's URL, its data wiped first."""
    with redis_server.client() as client:
        client.flushall()
    return redis_server.url


@pytest.fixture
def redis_process(tmp_path: Path) -> Iterator[RedisServer]:
    """A server of the test's own, which it may stop (Redis going down)."""
    server = RedisServer(binary(), tmp_path)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(params=["memory", "redis"])
def replicas(request: pytest.FixtureRequest) -> Callable[[], State]:
    """Each call: the stores of one more replica of one deployment, on either backend.

    `memory`: the default, one process, so every "replica" shares that process's stores.
    `redis`: each replica has its own connection to the one redis-server, as separate
    processes or machines would.
    """
    if request.param == "memory":
        state = open_state(read({}).settings)
        return lambda: state
    url = request.getfixturevalue("redis_url")
    return lambda: open_state(read({"REDIS_URL": url, "REDIS_PREFIX": "test"}).settings)


"""The token bucket, on a clock the test moves by hand: in one process and in Redis.

Every behaviour runs on both backends (tests/redis_server.py `replicas`): `memory` (one
process's buckets) and `redis` (two replicas, each with its own connection to one
redis-server, drawing from one bucket per person).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from operations import messages
from operations.ratelimit import RedisTokenBucket, TokenBucket, rate_limiter, refusal
from operations.settings import read
from operations.state import RedisLink, State
from tests.redis_server import free_port

Limiter = Callable[..., TokenBucket]  # limiter(burst=5, seconds=3.0): one more replica's


class Clock:
    def __init__(self) -> None:
        self.now = 1_750_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def limiter(replicas: Callable[[], State], clock: Clock) -> Limiter:
    """`limiter(burst=5, seconds=3.0)`: one more replica's limiter, on the test's clock."""
    local: dict[tuple[int, float], TokenBucket] = {}

    def make(burst: int = 5, seconds: float = 3.0) -> TokenBucket:
        state = replicas()
        if state.link is not None:
            return RedisTokenBucket(state.link, burst=burst, seconds=seconds, clock=clock)
        return local.setdefault(
            (burst, seconds), TokenBucket(burst=burst, seconds=seconds, clock=clock)
        )

    return make


def test_a_burst_passes_then_one_question_per_refill(limiter: Limiter, clock: Clock) -> None:
    bucket = limiter(burst=5, seconds=3.0)

    assert [bucket.take("slack:alice") for _ in range(5)] == [0.0] * 5
    assert bucket.take("slack:alice") == pytest.approx(3.0)
    clock.now += 1.0
    assert bucket.take("slack:alice") == pytest.approx(2.0)  # refusals take nothing
    clock.now += 2.0
    assert bucket.take("slack:alice") == 0.0  # one token refilled
    assert bucket.take("slack:alice") == pytest.approx(3.0)
    clock.now += 15.0
    assert [bucket.take("slack:alice") for _ in range(6)][-2:] == [0.0, pytest.approx(3.0)]


def test_each_person_has_a_bucket(limiter: Limiter) -> None:
    bucket = limiter(burst=1)

    assert bucket.take("discord:1") == 0.0 and bucket.take("discord:1") > 0
    assert bucket.take("discord:2") == 0.0
    assert bucket.take("slack:1") == 0.0


def test_replicas_draw_from_one_bucket(limiter: Limiter, clock: Clock) -> None:
    one, two = limiter(burst=5), limiter(burst=5)

    assert [b.take("slack:alice") for b in (one, two, one, two, one)] == [0.0] * 5
    assert two.take("slack:alice") == pytest.approx(3.0)
    assert one.take("slack:alice") == pytest.approx(3.0)
    clock.now += 3.0
    assert two.take("slack:alice") == 0.0
    assert one.take("slack:alice") > 0


def test_warned_once_per_wait_wherever(limiter: Limiter, clock: Clock) -> None:
    one, two = limiter(burst=1), limiter(burst=1)
    one.take("alice")
    wait = two.take("alice")

    assert two.warn("alice", wait) and not one.warn("alice", wait)
    clock.now += 3.0
    assert one.take("alice") == 0.0
    assert one.warn("alice", one.take("alice"))  # a new wait: warned again


def test_zero_seconds_turns_it_off(limiter: Limiter) -> None:
    off = limiter(seconds=0.0)
    assert [off.take("alice") for _ in range(20)] == [0.0] * 20


def test_a_clock_that_steps_back_neither_refills_nor_breaks(clock: Clock) -> None:
    bucket = TokenBucket(burst=2, seconds=3.0, clock=clock)
    bucket.take("alice")
    bucket.take("alice")
    clock.now -= 3600.0

    assert bucket.take("alice") > 0


def test_memory_stays_bounded(clock: Clock) -> None:
    bucket = TokenBucket(burst=1, seconds=3.0, clock=clock, max_keys=100)
    for user in range(1000):
        bucket.take(str(user))
    assert len(bucket._buckets) <= 100


def test_buckets_expire_in_redis(redis_url: str, clock: Clock) -> None:
    link = RedisLink.from_url(redis_url, prefix="ttl")
    RedisTokenBucket(link, burst=5, seconds=3.0, clock=clock).take("slack:alice")

    assert 0 < link.client.pttl("ttl:ratelimit:slack:alice") <= 3000 + 1000


def test_without_redis_each_process_limits_on_its_own(clock: Clock) -> None:
    link = RedisLink.from_url(f"redis://127.0.0.1:{free_port()}/0")
    bucket = RedisTokenBucket(link, burst=2, seconds=3.0, clock=clock)

    assert [bucket.take("alice") for _ in range(3)][-1] == pytest.approx(3.0)
    assert link.up is False


def test_the_settings_choose_the_limiter(redis_url: str) -> None:
    defaults = rate_limiter(read({}).settings, None)
    assert (type(defaults), defaults.burst, defaults.seconds) == (TokenBucket, 5, 3.0)
    chosen = read({"RATE_LIMIT_BURST": "2", "RATE_LIMIT_SECONDS": "10", "REDIS_URL": redis_url})
    shared = rate_limiter(chosen.settings, RedisLink.from_url(redis_url))
    assert (type(shared), shared.burst, shared.seconds) == (RedisTokenBucket, 2, 10.0)


def test_the_refusal_says_how_long_in_whole_seconds() -> None:
    assert refusal(2.2) == messages.COOLDOWN.format(seconds=3)
    assert refusal(0.001) == messages.COOLDOWN.format(seconds=1)

"""How fast one person may ask: a token bucket per person, the same on Slack and Discord.

    limiter = rate_limiter(settings, state.link)   # in Redis with REDIS_URL, else this process
    if (wait := limiter.take("slack:U123")) > 0:   # 0.0: go ahead, a token is taken
        say(refusal(wait))                          # "Try again in 3 seconds"; warn() says it once

Each person has a bucket of RATE_LIMIT_BURST tokens (5) that refills by one every
RATE_LIMIT_SECONDS (3 s); a question takes one. So a burst of quick questions passes (a DM,
then /summit, then "source?"), and a flood is slowed to one question every 3 seconds.
RATE_LIMIT_SECONDS=0 turns the limit off.

With Redis every replica and shard draws from the one bucket: a Lua script reads, refills and
takes in one atomic step, on the callers' wall clock (the same on every machine, near enough).
While Redis is down each process limits on its own (operations/state.py).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from operations import messages
from operations.settings import Settings
from operations.state import RedisLink

_ROUNDING = 1e-9  # tokens: 1/3 + 2/3 of a token must make one, whatever the float sums say

# KEYS[1] the bucket (a hash: tokens, at); ARGV burst, ms per token, now (ms).
# Returns 0 when a token was taken, else the ms until one is there.
_TAKE = """
local burst, every, now = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local saved = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens, at = tonumber(saved[1]) or burst, tonumber(saved[2]) or now
if now > at then
  tokens = math.min(burst, tokens + (now - at) / every)
  at = now
end
local wait = 0
if tokens >= 1 - 1e-9 then  -- a token, give or take float rounding (_ROUNDING)
  tokens = math.max(0, tokens - 1)
else
  wait = math.max(1, math.floor((1 - tokens) * every + 0.5))
end
redis.call('HSET', KEYS[1], 'tokens', string.format('%.17g', tokens), 'at', tostring(at))
redis.call('PEXPIRE', KEYS[1], math.ceil((burst - tokens) * every) + 1000)
return wait
"""
# KEYS[1] the person's warned-until time; ARGV now, wait (ms). 1 the first time in one wait.
_WARN = """
local now, wait = tonumber(ARGV[1]), tonumber(ARGV[2])
local warned = tonumber(redis.call('GET', KEYS[1]))
if warned and warned > now then return 0 end
redis.call('SET', KEYS[1], tostring(now + wait), 'PX', wait + 1000)
return 1
"""


def refusal(wait: float) -> str:
    """What a person who asks too fast is told."""
    return messages.COOLDOWN.format(seconds=max(1, math.ceil(wait)))


class TokenBucket:
    """Buckets in this process's memory; `clock` is injectable, memory bounded by `max_keys`."""

    def __init__(
        self,
        *,
        burst: int = 5,
        seconds: float = 3.0,
        clock: Callable[[], float] = time.monotonic,
        max_keys: int = 10_000,
    ) -> None:
        if burst < 1 or seconds < 0:
            raise ValueError("burst must be >= 1 and seconds >= 0")
        self.burst, self.seconds, self.clock = burst, seconds, clock
        self._max_keys = max_keys
        self._buckets: dict[str, tuple[float, float]] = {}  # key -> (tokens, at)
        self._warned: dict[str, float] = {}  # key -> end of the wait it was warned about

    def take(self, key: str) -> float:
        """0.0 if `key` may ask now (a token is taken), else the seconds until it may."""
        if self.seconds <= 0:
            return 0.0
        now = self.clock()
        tokens, at = self._buckets.get(key, (float(self.burst), now))
        if now > at:  # a clock that steps back refills nothing, and takes nothing away
            tokens, at = min(self.burst, tokens + (now - at) / self.seconds), now
        wait = 0.0 if tokens >= 1 - _ROUNDING else (1 - tokens) * self.seconds
        if len(self._buckets) >= self._max_keys and key not in self._buckets:
            self._forget(now)
        self._buckets[key] = (max(0.0, tokens - 1) if wait == 0 else tokens, at)
        return wait

    def warn(self, key: str, wait: float) -> bool:
        """True the first time it is asked during one wait: say it once, then stay quiet."""
        now = self.clock()
        if self._warned.get(key, -math.inf) > now:
            return False
        self._warned[key] = now + wait
        return True

    def _forget(self, now: float) -> None:
        """Drop full buckets (they are as good as new), else the older half."""
        full = [k for k, (tokens, at) in self._buckets.items() if self._refilled(tokens, at, now)]
        for key in full or list(self._buckets)[: len(self._buckets) // 2]:
            del self._buckets[key]
            self._warned.pop(key, None)

    def _refilled(self, tokens: float, at: float, now: float) -> bool:
        return tokens + (now - at) / self.seconds >= self.burst


class RedisTokenBucket(TokenBucket):
    """The buckets in Redis, shared by every replica and shard; its own memory while Redis is
    down. The clock defaults to the wall clock, the one clock that machines share."""

    def __init__(
        self,
        link: RedisLink,
        *,
        burst: int = 5,
        seconds: float = 3.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        super().__init__(burst=burst, seconds=seconds, clock=clock)
        self._link = link
        self._take = link.client.register_script(_TAKE)
        self._warn = link.client.register_script(_WARN)

    def take(self, key: str) -> float:
        if self.seconds <= 0:
            return 0.0
        name = self._link.key("ratelimit", key)
        args = [self.burst, self.seconds * 1000, int(self.clock() * 1000)]
        return self._link.call(
            lambda r: int(self._take(keys=[name], args=args, client=r)) / 1000,
            lambda: TokenBucket.take(self, key),
        )

    def warn(self, key: str, wait: float) -> bool:
        name = self._link.key("ratelimit-warned", key)
        args = [int(self.clock() * 1000), max(1, math.ceil(wait * 1000))]
        return self._link.call(
            lambda r: bool(self._warn(keys=[name], args=args, client=r)),
            lambda: TokenBucket.warn(self, key, wait),
        )


def rate_limiter(settings: Settings, link: RedisLink | None) -> TokenBucket:
    """RATE_LIMIT_BURST and RATE_LIMIT_SECONDS, shared through `link` when there is one."""
    burst, seconds = settings.rate_limit_burst, settings.rate_limit_seconds
    if link is None:
        return TokenBucket(burst=burst, seconds=seconds)
    return RedisTokenBucket(link, burst=burst, seconds=seconds)

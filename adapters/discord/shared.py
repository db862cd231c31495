"""Discord's per-user cooldown in Redis, shared by every shard and process (REDIS_URL).

    cooldown = RedisCooldown(state.link, settings.cooldown_seconds)
    build_client(engine, settings, cooldown=cooldown)

It is a `Cooldown` whose own in-memory bookkeeping is the fallback while Redis is down (see
adapters/redis_state.py): the bot keeps limiting per process, and says so once in the log.
"""

from __future__ import annotations

from adapters.discord.cooldown import Cooldown
from adapters.redis_state import RedisLink

# One round trip: take the turn if free, else say how long until it is (ms). Atomic, so two
# shards asked by the same person at the same moment cannot both take the turn.
_TAKE_TURN = """
if redis.call('SET', KEYS[1], '1', 'NX', 'PX', ARGV[1]) then return 0 end
local left = redis.call('PTTL', KEYS[1])
if left <= 0 then redis.call('SET', KEYS[1], '1', 'PX', ARGV[1]) return 0 end
return left
"""
# True once per wait: the warned key lives exactly as long as the turn key.
_WARN_ONCE = """
local left = redis.call('PTTL', KEYS[1])
if left <= 0 then return 1 end
if redis.call('SET', KEYS[2], '1', 'NX', 'PX', left) then return 1 end
return 0
"""


class RedisCooldown(Cooldown):
    """Discord's per-user cooldown, shared by every shard and process (see `Cooldown`)."""

    def __init__(self, link: RedisLink, seconds: float, *, namespace: str = "discord") -> None:
        super().__init__(seconds)  # the local twin, used while Redis is down
        self._link = link
        self._namespace = namespace
        self._take = link.client.register_script(_TAKE_TURN)
        self._warn_once = link.client.register_script(_WARN_ONCE)

    def wait(self, user: str) -> float:
        if self.seconds <= 0:
            return 0.0
        turn = self._link.key(self._namespace, "cooldown", user)
        ms = max(1, int(self.seconds * 1000))
        return self._link.call(
            lambda r: int(self._take(keys=[turn], args=[ms], client=r)) / 1000,
            lambda: Cooldown.wait(self, user),
        )

    def warn(self, user: str) -> bool:
        keys = [
            self._link.key(self._namespace, "cooldown", user),
            self._link.key(self._namespace, "cooldown-warned", user),
        ]
        return self._link.call(
            lambda r: bool(self._warn_once(keys=keys, client=r)),
            lambda: Cooldown.warn(self, user),
        )

"""The per-user cooldown, on a clock the test moves by hand."""

from __future__ import annotations

from adapters.discord.cooldown import Cooldown


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_one_question_per_window_per_user() -> None:
    clock = Clock()
    cooldown = Cooldown(3.0, clock=clock)
    assert cooldown.wait("alice") == 0.0
    clock.now += 1.0
    assert cooldown.wait("alice") == 2.0
    assert cooldown.wait("bob") == 0.0  # others are not held up
    clock.now += 2.0
    assert cooldown.wait("alice") == 0.0


def test_refusals_do_not_extend_the_wait() -> None:
    clock = Clock()
    cooldown = Cooldown(3.0, clock=clock)
    cooldown.wait("alice")
    for _ in range(5):
        clock.now += 0.5
        cooldown.wait("alice")
    clock.now += 0.5
    assert cooldown.wait("alice") == 0.0


def test_warns_once_per_wait() -> None:
    clock = Clock()
    cooldown = Cooldown(3.0, clock=clock)
    cooldown.wait("alice")
    assert cooldown.wait("alice") > 0
    assert cooldown.warn("alice") is True
    assert cooldown.warn("alice") is False
    clock.now += 3.0
    assert cooldown.wait("alice") == 0.0
    assert cooldown.wait("alice") > 0
    assert cooldown.warn("alice") is True


def test_zero_seconds_turns_it_off() -> None:
    cooldown = Cooldown(0.0, clock=Clock())
    assert [cooldown.wait("alice") for _ in range(3)] == [0.0, 0.0, 0.0]


def test_memory_stays_bounded() -> None:
    clock = Clock()
    cooldown = Cooldown(3.0, clock=clock, max_users=100)
    for user in range(1000):
        cooldown.wait(str(user))
    assert len(cooldown._last) <= 100

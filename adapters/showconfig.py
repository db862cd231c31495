"""`summit-bot config`: the effective settings, secrets masked, and what each adapter lacks.

    text, ok = effective()   # environment, then .env; ok is False when a variable is faulty

The output is itself an env file (comments aside), so it can be diffed against `.env.example`.
"""

from __future__ import annotations

from collections.abc import Callable

from operations.settings import Checked, read, shown

_INSTALL = "not installed: pip install 'summit-bot[{extra}]'"


def effective(checked: Checked | None = None) -> tuple[str, bool]:
    """The report and whether every variable is well-formed."""
    checked = checked or read()
    lines = ["# summit-bot settings (environment, then .env); secrets masked as ********"]
    lines += [f"{name}={value}" for name, value in shown(checked.settings)]
    if checked.problems:
        lines += ["", "# malformed (the default is used above):"]
        lines += [f"#   - {problem}" for problem in checked.problems.values()]
    lines += ["", "# can start:"]
    for name, check in _adapters().items():
        lines.append(f"#   {name}: {check(checked)}")
    return "\n".join(lines) + "\n", not checked.problems


def _adapters() -> dict[str, Callable[[Checked], str]]:
    return {
        "slack (Socket Mode)": lambda c: _slack(c, http=False),
        "slack --http": lambda c: _slack(c, http=True),
        "discord": _discord,
    }


def _slack(checked: Checked, *, http: bool) -> str:
    try:
        from adapters.slack.settings import from_checked
    except ImportError:
        return _INSTALL.format(extra="slack")
    return _verdict(lambda: from_checked(checked, http=http))


def _discord(checked: Checked) -> str:
    try:
        from adapters.discord.settings import from_checked
    except ImportError:
        return _INSTALL.format(extra="discord")
    return _verdict(lambda: from_checked(checked))


def _verdict(check: Callable[[], object]) -> str:
    from bot.errors import ConfigError

    try:
        check()
    except ConfigError as exc:
        problems = str(exc).split("\n  - ")[1:]
        return "no: " + "; ".join(problems)
    return "yes"

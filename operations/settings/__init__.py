"""Every setting of every process, read once at the edge (adapters/cli.py) and validated.

    model.py      `Settings`, `read` and `load`: the environment and .env, every fault named
    core.py       logs, health, rate limits, shared state, the question log
    platforms.py  Slack's and Discord's variables
    show.py       `summit-bot config` and `.env.example`
"""

from operations.settings.model import (
    COMMON,
    DEFAULT_ENV_FILE,
    ENV_FILE_VARIABLE,
    Checked,
    Settings,
    load,
    problem_list,
    read,
    secret_fields,
    variable,
    variables,
)
from operations.settings.platforms import SLACK_CHANNEL
from operations.settings.show import example, shown

__all__ = [
    "COMMON",
    "DEFAULT_ENV_FILE",
    "ENV_FILE_VARIABLE",
    "SLACK_CHANNEL",
    "Checked",
    "Settings",
    "example",
    "load",
    "problem_list",
    "read",
    "secret_fields",
    "shown",
    "variable",
    "variables",
]

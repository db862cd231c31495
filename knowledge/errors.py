"""The project's exceptions, all in one small tree.

    SummitBotError            base: catch this at the edge (CLI, adapter start-up)
    ├── KnowledgeError        the fact base is missing, not YAML, or invalid
    ├── ConfigError           settings are missing or malformed
    └── EvalFileError         an eval file's line is not a question with an expectation

Questions never raise: `Engine.answer` returns an `Answer` for any string. These errors happen
at start-up (or on a reload), where they stop the program with one clear message.
"""

from __future__ import annotations


class SummitBotError(Exception):
    """Base class of every error this project raises on purpose."""


class KnowledgeError(SummitBotError):
    """A fact base could not be loaded; the message names the file, fact id and field."""


class ConfigError(SummitBotError):
    """Settings are missing or malformed; the message names every variable at fault."""


class EvalFileError(SummitBotError):
    """A line of an eval file cannot be graded; the message names the line and what is wrong."""

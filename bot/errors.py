"""The project's exceptions (one tree, defined in knowledge/errors.py, the lowest layer, so the
fact-base loader raises them without importing the engine)."""

from knowledge.errors import (
    ConfigError,
    EvalFileError,
    KnowledgeError,
    SummitBotError,
)

__all__ = ["ConfigError", "EvalFileError", "KnowledgeError", "SummitBotError"]

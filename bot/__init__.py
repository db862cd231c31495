"""summit-bot's answer engine: platform-neutral, pure Python, no I/O at question time.

    from bot import Engine, Question, load_knowledge
    engine = Engine(load_knowledge("knowledge/summit.yaml"))
    answer = engine.answer(Question("who skipped the forum?"))
"""

from bot.engine import Engine
from bot.errors import ConfigError, KnowledgeError, SummitBotError
from bot.feedback import Feedback, FeedbackSink, MemoryFeedback, Vote
from bot.knowledge import Fact, KnowledgeBase, load_knowledge, parse_knowledge
from bot.types import Answer, Outcome, Question, Source, Suggestion

__all__ = [
    "Answer",
    "ConfigError",
    "Engine",
    "Fact",
    "Feedback",
    "FeedbackSink",
    "KnowledgeBase",
    "KnowledgeError",
    "MemoryFeedback",
    "Outcome",
    "Question",
    "Source",
    "Suggestion",
    "SummitBotError",
    "Vote",
    "load_knowledge",
    "parse_knowledge",
]

"""summit-bot's answer engine: platform-neutral, pure Python, no I/O.

from knowledge.loader import load_knowledge, load_language   # the edge reads the files
engine = Engine(load_knowledge("knowledge/summit.yaml"), load_language())
answer = engine.answer(Question("who skipped the forum?"))
"""

from bot.engine import Engine
from bot.errors import ConfigError, KnowledgeError, SummitBotError
from bot.feedback import Feedback, FeedbackSink, MemoryFeedback, Vote
from bot.types import Answer, Outcome, Question, Source, Suggestion
from knowledge.types import Fact, KnowledgeBase, Language

__all__ = [
    "Answer",
    "ConfigError",
    "Engine",
    "Fact",
    "Feedback",
    "FeedbackSink",
    "KnowledgeBase",
    "KnowledgeError",
    "Language",
    "MemoryFeedback",
    "Outcome",
    "Question",
    "Source",
    "Suggestion",
    "SummitBotError",
    "Vote",
]

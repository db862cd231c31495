"""What the platform adapters say around the engine's answers: controls, apologies, notices.

The answers themselves come from the engine (bot/messages.py); operator wording from
operations/messages.py.
"""

from __future__ import annotations

FEEDBACK_THANKS = "Thanks for the feedback!"
ERROR = "Sorry, something went wrong on my side. Please try again in a moment."
ODD_BUTTON = (
    "Sorry, I couldn't read that button. Please ask me your question again in your own words."
)
SHARE = "Share in channel"
SOURCE_BUTTON = "Source"
MORE_BUTTON = "More"
SHARED_BY = "Shared by {user}"


def source_line(paragraph: int, confidence: float) -> str:
    """The small print under an answer in Slack and Discord."""
    return f"Source: paragraph {paragraph} of the article · {round(confidence * 100)}% sure"


# Slack
VOTE_UP = "👍"
VOTE_DOWN = "👎"
VOTE_UP_LABEL = "This answer helped"
VOTE_DOWN_LABEL = "This answer did not help"

# Discord
DISCORD_ASK = "Ask a question about the event"
DISCORD_ASK_QUESTION = "Your question, in your own words"
DISCORD_ASK_PRIVATE = "Show the answer only to you"
DISCORD_TOPICS = "What I can answer"
DISCORD_HELP = "How to ask me questions"
DISCORD_RELOAD = "Reload the fact base from its file (organisers only)"

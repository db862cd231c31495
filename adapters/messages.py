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

# The command line: the console's start, `kb check`'s self-test, `eval`'s confusions, `kb new`
GETTING_READY = "Getting ready... (the first start with a fact base takes a few seconds)"
SELFTEST_SHARE = (
    "Self-test: {right} of {total} held-out phrasings answered by their own fact ({share:.0%})."
)
SELFTEST_SKIPPED = (
    "Self-test skipped: {phrasings} phrasings, more than {limit} (it would take minutes); "
    "--selftest-limit N raises the limit."
)
SELFTEST_NO_CONFUSION = "No two facts confused."
SELFTEST_CONFUSED = "Confused facts, worst first:"
SELFTEST_PAIR = "  {first} <-> {second}: {crossed} crossed, {doubtful} doubtful"
SELFTEST_CROSSED = '    "{phrasing}" ({expected}) was answered by {went_to}'
SELFTEST_DOUBTED = '    "{phrasing}" ({expected}) got "did you mean" {went_to} first'
SELFTEST_HINT = "    hint: {hint}"
SELFTEST_MORE_PAIRS = "  ... and {more} more pairs."
SELFTEST_UNTESTED = "Untested (a single phrasing, nothing to hold out): {facts}"
SELFTEST_STRICT = (
    "{file}: the self-test answered {crossed} held-out phrasings with the wrong fact (--strict)"
)
EVAL_CONFUSIONS = "confusions (expected -> answered):"
EVAL_CONFUSION = "  {expected} -> {answered}  {count}"
KB_NEW_WROTE = "Wrote {file}: a draft of {facts} facts from {article}."
KB_NEW_NEXT = "Next: edit it (the comments say how), then: summit-bot kb check {file}"
KB_NEW_EXISTS = "{file}: already exists; not overwritten (choose another with -o FILE)"

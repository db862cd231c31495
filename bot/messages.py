"""Every sentence the bot says to people, in one place (adapters use these too)."""

from __future__ import annotations

from collections.abc import Sequence

from bot.knowledge import Event, Fact

ABSTAIN = (
    "Sorry, I don't know that: the article I answer from doesn't say. "
    "Type \"topics\" to see what I can answer."
)
EMPTY = "I didn't catch a question there. Ask me something about {event}, or type \"help\"."
NOTHING_BEFORE = "Ask me a question first; then I can tell you more or show where it comes from."
NO_MORE = "That's all the article says about it."
GREETING = "Hi! Ask me anything about {event}. Type \"help\" to see how."
THANKS = "You're welcome!"
UNKNOWN_FACT = "Sorry, I can't find that one any more. Ask me again in your own words?"
FEEDBACK_THANKS = "Thanks for the feedback!"
ERROR = "Sorry, something went wrong on my side. Please try again in a moment."
COOLDOWN = "You're asking faster than I can keep up. Try again in {seconds} seconds."
ODD_BUTTON = (
    "Sorry, I couldn't read that button. Please ask me your question again in your own words."
)
SHARE = "Share in channel"
SOURCE_BUTTON = "Source"
MORE_BUTTON = "More"
DID_YOU_MEAN_HEADING = "Did you mean:"
SHARED_BY = "Shared by {user}"


def help_text(event: Event, example: str) -> str:
    """`example`: a question from the loaded fact base."""
    return (
        f"I answer questions about {event.name} from {event.document}.\n"
        f"Just ask in your own words, for example: \"{example}\"\n"
        "Commands: \"topics\" (what I can answer), \"source\" (where my last answer comes "
        "from), \"more\" (more about it), \"about\", \"help\"."
    )


def about_text(event: Event, *, facts: int, version: str) -> str:
    place = f" ({event.place})" if event.place else ""
    return (
        f"I'm a question-and-answer bot for {event.name}{place}, using only "
        f"{event.document}. {event.description} Fact base {version}, {facts} facts."
    ).replace("  ", " ")


def topics_text(event: Event, groups: Sequence[tuple[str, Sequence[Fact]]]) -> str:
    lines = [f"Here is what I can answer about {event.name}:"]
    for topic, facts in groups:
        examples = "; ".join(f'"{f.questions[0]}"' for f in facts[:2])
        lines.append(f"• {topic} ({len(facts)}): e.g. {examples}")
    return "\n".join(lines)


def source_text(event: Event, fact: Fact) -> str:
    return f'From {event.document}, paragraph {fact.paragraph}: "{fact.quote}"'


def source_line(paragraph: int, confidence: float) -> str:
    """The small print under an answer in Slack and Discord."""
    return f"Source: paragraph {paragraph} of the article · {round(confidence * 100)}% sure"


def not_said(questions: Sequence[str]) -> str:
    """A near miss: the article covers the subject, not what was asked about it."""
    options = "\n".join(f"{i}. {q}" for i, q in enumerate(questions, 1))
    return (
        "The article doesn't say that, so I won't guess. Close to it, I can answer:\n"
        f"{options}\nReply with a number."
    )


def did_you_mean(questions: Sequence[str]) -> str:
    options = "\n".join(f"{i}. {q}" for i, q in enumerate(questions, 1))
    return (
        f"I'm not sure which you mean. {DID_YOU_MEAN_HEADING}\n{options}\n"
        "Reply with a number, or ask again in other words."
    )


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

# Operations
RELOAD_COMMAND = "reload"
RELOAD_REFUSED = "Sorry, only the organisers who run this bot can reload its fact base."
RELOAD_UNCHANGED = "The fact base has not changed (version {version}): nothing to reload."
RELOAD_FAILED = (
    "The new fact base has a problem, so the old one (version {version}) is still live:\n{error}"
)
RELOAD_DONE = "Reloaded the fact base: version {old} → {new}, {facts} facts."
DISCORD_RELOAD = "Reload the fact base from its file (organisers only)"


def answer_summary(outcome: str, fact_id: str | None, suggestions: Sequence[str]) -> str:
    """An answer in a few words, for comparing two fact bases: "forum_skipped", "no answer"."""
    if outcome == "answered" and fact_id:
        return fact_id
    if outcome == "did_you_mean":
        return "did you mean " + " / ".join(suggestions)
    if outcome == "command":
        return f"command ({fact_id})" if fact_id else "command"
    return "no answer"


def diff_summary(changes: Sequence[tuple[str, str, str]], *, replayed: int, limit: int = 10) -> str:
    """What an edit of the fact base changes: (question, before, after) for each change."""
    if not changes:
        return f"None of the {replayed} questions replayed would get a different answer."
    lines = [f"{len(changes)} of {replayed} questions replayed would get a different answer:"]
    lines += [f'• "{q}": {before} → {after}' for q, before, after in changes[:limit]]
    if len(changes) > limit:
        lines.append(f"… and {len(changes) - limit} more (summit-bot kb diff lists them all).")
    return "\n".join(lines)


# Fact-base self-test (`kb check`)
def confusion_hint(first: str, first_words: Sequence[str], second: str,
                   second_words: Sequence[str]) -> str:
    """How to tell two confused facts apart, in words only one of them uses."""
    sides = ((first, first_words), (second, second_words))
    offers = [f"{_either(said)} to {fact}" for fact, said in sides if said]
    if not offers:
        return f"{first} and {second} use the same words: give each phrasings of its own."
    return "Add a phrasing that says " + ", or ".join(offers) + "."


def _either(said: Sequence[str]) -> str:
    return " or ".join(f"'{w}'" for w in said)


# The report's "may be wrong" rows (`summit-bot report`)
SUSPECT_CLOSE = "only {lead:.2f} ahead of {second}"
SUSPECT_REPHRASED = 'asked again {seconds} s later: "{asked}"'
SUSPECT_VOTED_DOWN = "voted 👎"
SUSPECT_OTHER_PICK = 'picked from "did you mean" instead of the first offered, {first}'

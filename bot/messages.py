"""What the engine says, whatever the platform: event-neutral, filled from the fact base.

Wording is per layer, each in one module: this one for answers and commands (every platform
alike); adapters/messages.py for platform controls (buttons, slash commands, apologies);
operations/messages.py for operators (reloads, rate limits, fact-base diffs). None of them
names an event: the event, the bot's name and the examples come from the loaded fact base.
"""

from __future__ import annotations

from collections.abc import Sequence

from knowledge.types import Event, Fact

ABSTAIN = (
    "Sorry, I don't know that: the article I answer from doesn't say. "
    'Type "topics" to see what I can answer.'
)
EMPTY = 'I didn\'t catch a question there. Ask me something about {event}, or type "help".'
NOTHING_BEFORE = "Ask me a question first; then I can tell you more or show where it comes from."
NO_MORE = "That's all the article says about it."
GREETING = 'Hi! Ask me anything about {event}. Type "help" to see how.'
THANKS = "You're welcome!"
DID_YOU_MEAN_HEADING = "Did you mean:"
UNKNOWN_FACT = "Sorry, I can't find that one any more. Ask me again in your own words?"


def help_text(event: Event, example: str) -> str:
    """`example`: a question from the loaded fact base."""
    return (
        f"I answer questions about {event.name} from {event.document}.\n"
        f'Just ask in your own words, for example: "{example}"\n'
        'Commands: "topics" (what I can answer), "source" (where my last answer comes '
        'from), "more" (more about it), "about", "help".'
    )


def about_text(event: Event, *, facts: int, version: str) -> str:
    place = f" ({event.place})" if event.place else ""
    me = f"I'm {event.bot_name}, a" if event.bot_name else "I'm a"
    return (
        f"{me} question-and-answer bot for {event.name}{place}, using only "
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


# Fact-base self-test (`kb check`)
def confusion_hint(
    first: str, first_words: Sequence[str], second: str, second_words: Sequence[str]
) -> str:
    """How to tell two confused facts apart, in words only one of them uses."""
    sides = ((first, first_words), (second, second_words))
    offers = [f"{_either(said)} to {fact}" for fact, said in sides if said]
    if not offers:
        return f"{first} and {second} use the same words: give each phrasings of its own."
    return "Add a phrasing that says " + ", or ".join(offers) + "."


def _either(said: Sequence[str]) -> str:
    return " or ".join(f"'{w}'" for w in said)

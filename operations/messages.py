"""What operations say to organisers and people: reloads, rate limits, fact-base diffs."""

from __future__ import annotations

from collections.abc import Sequence

COOLDOWN = "You're asking faster than I can keep up. Try again in {seconds} seconds."
BUSY = "Lots of people are asking at once, and I answer one at a time. Please ask again soon."

# Reloads (/summit reload, Discord /reload, the file watcher)
RELOAD_COMMAND = "reload"
RELOAD_REFUSED = "Sorry, only the organisers who run this bot can reload its fact base."
RELOAD_UNCHANGED = "The fact base has not changed (version {version}): nothing to reload."
RELOAD_FAILED = (
    "The new fact base has a problem, so the old one (version {version}) is still live:\n{error}"
)
RELOAD_DONE = "Reloaded the fact base: version {old} → {new}, {facts} facts."
RELOAD_REPLAYED = "reload: %d of %d replayed questions answer differently"  # the log line


def answer_summary(outcome: str, fact_id: str | None, suggestions: Sequence[str]) -> str:
    """An answer in a few words, for comparing two fact bases: "forum_skipped", "no answer"."""
    if outcome == "answered" and fact_id:
        return fact_id
    if outcome == "did_you_mean":
        return "did you mean " + " / ".join(suggestions)
    if outcome == "command":
        return f"command ({fact_id})" if fact_id else "command"
    return "no answer"


def diff_summary(
    changes: Sequence[tuple[str, str, str, bool]], *, replayed: int, limit: int = 10
) -> str:
    """What an edit of the fact base changes: (question, before, after, had a 👍) for each."""
    if not changes:
        return f"None of the {replayed} questions replayed would get a different answer."
    liked = sum(1 for *_, up in changes if up)
    marked = f" ({liked} of them had a 👍, listed first)" if liked else ""
    lines = [f"{len(changes)} of {replayed} questions replayed would get a different answer"
             f"{marked}:"]
    lines += [f'• {"👍 " if up else ""}"{q}": {before} → {after}'
              for q, before, after, up in changes[:limit]]
    if len(changes) > limit:
        lines.append(f"… and {len(changes) - limit} more (summit-bot kb diff lists them all).")
    return "\n".join(lines)


# The report's "may be wrong" rows (`summit-bot report`)
SUSPECT_CLOSE = "only {lead:.2f} ahead of {second}"
SUSPECT_REPHRASED = '{seconds} s later: "{asked}"'
SUSPECT_VOTED_DOWN = "👎"
SUSPECT_OTHER_PICK = 'picked from "did you mean" instead of the first offered, {first}'

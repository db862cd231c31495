"""What the question log keeps: one row per question, and the feedback that updates it later."""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import re
import uuid
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from bot import Answer, Feedback, Question, Vote

TEXT_LIMIT = 4000  # characters of a question kept: enough for any real one, bounded for spam
TURNED_AWAY = "turned_away"
"""The outcome logged for a question the bot was too busy to take (MAX_PENDING_QUESTIONS):
not the engine's (bot.Outcome), for the engine never saw it."""


@dataclass(frozen=True, slots=True)
class LoggedQuestion:
    """One question as logged. `user` is a salted hash unless raw ids are configured.

    `user_pending`: the log's salt was not known yet (its database was not reached since the
    start), so `user` is still the platform's id; the writer hashes it before it is written.
    """

    id: str
    asked_at: datetime
    platform: str
    conversation: str
    user: str
    text: str
    outcome: str
    fact_id: str | None
    confidence: float
    kb_version: str
    suggestions: tuple[str, ...] = ()
    feedback: Vote | None = None
    feedback_at: datetime | None = None
    user_pending: bool = False
    runner_up: str | None = None  # the next fact found for an answer, and how far behind
    lead: float | None = None


@dataclass(frozen=True, slots=True)
class FeedbackUpdate:
    """A 👍 / 👎 to apply to the latest logged answer of that fact in that conversation."""

    platform: str
    conversation: str
    fact_id: str
    vote: Vote
    at: datetime


Item = LoggedQuestion | FeedbackUpdate
"""What the writer queues and the store writes, in order."""


def now() -> datetime:
    return datetime.now(UTC)


def user_key(user: str, *, platform: str, salt: str, raw: bool = False) -> str:
    """The user as logged: a keyed hash (same person, same key; not reversible), or the raw id."""
    if not user:
        return ""
    if raw:
        return user
    key = f"{platform}:{user}".encode("utf-8", "surrogatepass")  # any id, even a lone surrogate
    digest = hmac.new(salt.encode("utf-8", "surrogatepass"), key, hashlib.sha256)
    return digest.hexdigest()[:20]


def logged(
    question: Question,
    answer: Answer,
    *,
    kb_version: str,
    salt: str | None,
    raw_user_ids: bool = False,
    at: datetime | None = None,
    outcome: str | None = None,
) -> LoggedQuestion:
    """The log row for one answered question (any outcome); `salt=None`: not known yet;
    `outcome`, when not the answer's (`TURNED_AWAY`)."""
    pending = salt is None and not raw_user_ids and bool(question.user)
    return LoggedQuestion(
        id=uuid.uuid4().hex,
        asked_at=at or now(),
        platform=question.platform,
        conversation=question.conversation,
        user=user_key(question.user, platform=question.platform, salt=salt or "",
                      raw=raw_user_ids or pending),
        text=question.text[:TEXT_LIMIT],
        outcome=outcome or str(answer.outcome),
        fact_id=answer.fact_id,
        confidence=float(answer.confidence),
        kb_version=kb_version,
        suggestions=tuple(s.fact_id for s in answer.suggestions),
        user_pending=pending,
        runner_up=answer.runner_up,
        lead=answer.lead,
    )


def salted(row: Item, salt: str) -> Item:
    """`row` with its user hashed, if that was pending (see `LoggedQuestion.user_pending`)."""
    if not isinstance(row, LoggedQuestion) or not row.user_pending:
        return row
    user = user_key(row.user, platform=row.platform, salt=salt)
    return replace(row, user=user, user_pending=False)


def feedback_update(feedback: Feedback, *, at: datetime | None = None) -> FeedbackUpdate:
    return FeedbackUpdate(
        feedback.platform, feedback.conversation, feedback.fact_id, Vote(feedback.vote), at or now()
    )


_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def storable(item: Item) -> Item:
    """`item` as every database can store it: in each text, a lone surrogate (JSON allows
    "\\ud800"; UTF-8 cannot encode it) and NUL (PostgreSQL text refuses it) become U+FFFD. The
    row is kept; the rest of its text is as asked."""
    changes: dict[str, object] = {}
    for field in dataclasses.fields(item):
        value = getattr(item, field.name)
        if isinstance(value, str) and _UNSTORABLE.search(value):
            changes[field.name] = _UNSTORABLE.sub("\ufffd", value)
        elif isinstance(value, tuple) and any(_UNSTORABLE.search(v) for v in value):
            changes[field.name] = tuple(_UNSTORABLE.sub("\ufffd", v) for v in value)
    return dataclasses.replace(item, **changes) if changes else item  # type: ignore[arg-type]

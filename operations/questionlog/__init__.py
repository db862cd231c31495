"""The question log: every question, its answer and later feedback, for the organisers.

    store = open_store(settings)                       # SQLite in DATA_DIR, or DATABASE_URL
    log = QuestionLog(store, salt=store.salt())        # a background writer
    log.question(question, answer, kb_version="…")     # from the engine wrapper, per question
    log.question(question, busy, kb_version="…", outcome=TURNED_AWAY)  # too busy to answer
    log.record(feedback)                               # FeedbackSink, from the 👍 / 👎 buttons
    log.close()                                        # flush on shutdown

With PostgreSQL, a database that is down costs no answer and no question: rows wait in a local
spool (spool.py) and are sent in order once it is back (writer.py, outage.py).

Reading it back (`store.questions()`) is what `summit-bot report` and `kb diff` do.
"""

from __future__ import annotations

from operations.questionlog.connect import open_store
from operations.questionlog.counts import LogStats
from operations.questionlog.records import TURNED_AWAY, FeedbackUpdate, LoggedQuestion, user_key
from operations.questionlog.spool import Spool
from operations.questionlog.sqlite import SQLiteStore
from operations.questionlog.store import Store
from operations.questionlog.writer import QuestionLog

__all__ = [
    "TURNED_AWAY",
    "FeedbackUpdate",
    "LogStats",
    "LoggedQuestion",
    "QuestionLog",
    "SQLiteStore",
    "Spool",
    "Store",
    "open_store",
    "user_key",
]

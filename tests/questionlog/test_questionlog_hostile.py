"""A hostile string costs nobody their row: lone surrogates (valid in JSON, not encodable in
UTF-8) and NUL (refused by PostgreSQL) are stored as U+FFFD, and the batch around them is kept."""

from __future__ import annotations

from bot import Answer, Feedback, Outcome, Question, Suggestion, Vote
from operations.ops_settings import OpsSettings
from operations.questionlog import QuestionLog, open_store
from operations.questionlog.records import logged, storable

HOSTILE = ["\ud800", "pandas \udfff called?", "nul\x00byte", "\udc80\x00\ud83d"]
ANSWER = Answer(
    Outcome.SUGGESTED, "Did you mean:", suggestions=(Suggestion("zoo\ud800", "q"),)
)


def test_a_batch_with_hostile_rows_is_written_whole(log_settings: OpsSettings) -> None:
    texts = [f"question {n}" for n in range(40)]
    for n, text in enumerate(HOSTILE):
        texts.insert(7 * n + 3, text)
    log = QuestionLog(open_store(log_settings), salt="s", retry_delays=(0.0,))
    for n, text in enumerate(texts):
        user = "u\ud800" if n % 2 else "u"
        assert log.question(Question(text, platform="discord", conversation=f"c\x00{n}",
                                     user=user), ANSWER, kb_version="v")
    log.record(Feedback("discord", "c\x001", "u", "zoo\ud800", Vote.UP))

    stats = log.close()

    assert (stats.written, stats.failed, stats.dropped) == (len(texts) + 1, 0, 0)
    with open_store(log_settings) as reader:
        rows = reader.questions()
    assert len(rows) == len(texts)
    kept = {row.text for row in rows}
    assert {"\ufffd", "pandas \ufffd called?", "nul\ufffdbyte", "\ufffd\ufffd\ufffd"} <= kept
    assert all(row.suggestions == ("zoo\ufffd",) for row in rows)


def test_storable_changes_only_what_a_database_refuses() -> None:
    row = logged(Question("fine 熊猫 🐼 \u202e"), ANSWER, kb_version="v", salt="s")
    kept = storable(row)
    assert (kept.id, kept.text, kept.suggestions) == (row.id, row.text, ("zoo\ufffd",))
    clean = logged(Question("fine"), Answer(Outcome.ANSWERED, "ok"), kb_version="v", salt="s")
    assert storable(clean) is clean

"""The report from transcripts: questions asked of the real `Bot`, logged by the real question
log into SQLite (voted on, or turned away while the bot was busy), then reported in text and
HTML."""

from __future__ import annotations

import asyncio
from pathlib import Path

from bot import Feedback, Question, Vote
from knowledge.loader import load_knowledge
from operations import messages
from operations.engines import make_engine
from operations.live import Bot
from operations.ops_settings import OpsSettings
from operations.questionlog import TURNED_AWAY, QuestionLog, open_store
from operations.report import build, render_html, render_text
from operations.report.suspects import Why
from tests.bots import HeldObserver

SUMMIT = Path(__file__).parents[2] / "knowledge" / "summit.yaml"
CLOSE = "who skipped the forum?"  # huntsman_skipped, its lead over the next fact measured below


def _transcript(bot: Bot, log: QuestionLog) -> None:
    def ask(text: str, conversation: str, user: str) -> str | None:
        asked = Question(text, platform="slack", conversation=conversation, user=user)
        return bot.ask(asked).fact_id

    ask("trouble?", "c1", "ann")  # did you mean foreign_investment_struggle / calvey_detention / …
    assert ask("2", "c1", "ann") == "calvey_detention"  # ann picks the second
    ask("what about ford?", "c2", "bob")
    ask("why did ford leave russia?", "c2", "bob")  # bob asks again, seconds later
    fact = ask("who was detained?", "c3", "cat")
    assert fact is not None
    log.record(Feedback("slack", "c3", "cat", fact, Vote.DOWN))
    ask(CLOSE, "c4", "dan")


def test_the_report_lists_what_may_be_wrong_from_a_logged_transcript(tmp_path: Path) -> None:
    engine = make_engine(load_knowledge(SUMMIT))
    store = open_store(OpsSettings(data_dir=tmp_path / "data"))
    log = QuestionLog(store, salt="s")
    _transcript(Bot(engine, log=log), log)
    log.close()
    with open_store(OpsSettings(data_dir=tmp_path / "data")) as reading:
        rows = reading.questions()
    best, second = engine.search(CLOSE)[:2]

    report = build(rows, engine.knowledge, engine.search, lead=best.score - second.score + 0.001)

    seen = {(s.question, s.fact_id, s.why) for s in report.suspects}
    assert seen == {
        ("trouble?", "calvey_detention", Why.OTHER_PICK),
        ("what about ford?", "ford_exit", Why.REPHRASED),
        ("who was detained?", "calvey_detention", Why.VOTED_DOWN),
        (CLOSE, "huntsman_skipped", Why.CLOSE_CALL),
    }
    text = render_text(report)
    assert "May be wrong: answers to check" in text
    assert 'asked again' in text and 'why did ford leave russia?' in text
    page = render_html(report)
    assert '<a href="#fact-huntsman_skipped"><code>huntsman_skipped</code></a>' in page
    assert '<li id="fact-calvey_detention">' in page and "Low-confidence" not in page
    assert "turned away" not in page  # nobody was: no card for it


async def test_questions_turned_away_while_busy_are_logged_and_reported(tmp_path: Path) -> None:
    engine = make_engine(load_knowledge(SUMMIT))
    store = open_store(OpsSettings(data_dir=tmp_path / "data"))
    log = QuestionLog(store, salt="s")
    observer = HeldObserver()
    bot = Bot(engine, log=log, observer=observer, max_pending=1)
    held = asyncio.create_task(bot.ask_async(Question(CLOSE, "slack", "c1", user="ann")))
    assert await asyncio.to_thread(observer.working.wait, 5)

    busy = await bot.ask_async(Question("what about ford?", "slack", "c2", user="bob"))

    assert busy.text == messages.BUSY
    observer.go_on.set()
    assert (await held).fact_id == "huntsman_skipped"
    log.close()
    with open_store(OpsSettings(data_dir=tmp_path / "data")) as reading:
        rows = reading.questions()
    assert sorted((r.outcome, r.text) for r in rows) == [
        ("answered", CLOSE), (TURNED_AWAY, "what about ford?")]
    report = build(rows, engine.knowledge, engine.search)
    assert dict(report.outcomes) == {"answered": 1, TURNED_AWAY: 1}
    assert report.unanswered == ()  # the fact base was never asked: nothing to add to it
    assert "turned away (busy)  1" in render_text(report)
    page = render_html(report)
    assert '<div class="card"><b>1</b><span class="muted">turned away (busy)</span></div>' in page

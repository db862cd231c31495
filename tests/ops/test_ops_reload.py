"""The live engine, safe reloads, the watcher, admin-only reloads and `kb diff` replays."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bot import Engine, Outcome, Question, messages
from knowledge.loader import load_knowledge
from operations import messages as ops_messages
from operations.engines import make_engine
from operations.kbdiff import fact_questions, replay, summary
from operations.live import Bot
from operations.ops import Ops
from operations.ops_settings import OpsSettings
from operations.questionlog import open_store
from operations.reload import Admin, Reloader, Watcher, is_reload
from tests.ops.conftest import TRADE, EditKb
from tests.redis_server import free_port

CHEAPER = "Trade between the two countries fell to 50 billion dollars last year."


def ask(live: Bot, text: str, conversation: str = "c1") -> str:
    return live.ask(Question(text, platform="console", conversation=conversation)).text


def test_a_reload_swaps_in_the_edited_fact_base_and_says_what_changes(
    kb_file: Path, edit_kb: EditKb
) -> None:
    live = Bot(make_engine(load_knowledge(kb_file)))
    reloader = Reloader(live, kb_file, questions=lambda: ["what is the trade volume?", "pandas?"])
    old = live.knowledge.version
    assert ask(live, "what is the trade volume?") == TRADE

    edit_kb(lambda text: text.replace(TRADE, CHEAPER))
    result = reloader.reload()

    assert result.ok and result.changed
    assert live.knowledge.version != old
    assert ask(live, "what is the trade volume?") == CHEAPER
    assert result.message.splitlines() == [
        ops_messages.RELOAD_DONE.format(old=old, new=live.knowledge.version, facts=4),
        "1 of 2 questions replayed would get a different answer:",
        '• "what is the trade volume?": trade_volume → new wording (trade_volume)',
    ]


@pytest.mark.parametrize(
    ("edit", "error"),
    [
        (lambda t: t.replace("facts:", "facts: [oops"), "not valid YAML"),
        (lambda t: t.replace("id: trade_deals", "id: trade_volume"), "duplicate id"),
        (lambda t: t.replace("paragraph: 9", "paragraph: nine"), "fact 'trade_volume'"),
    ],
    ids=["yaml", "duplicate-id", "bad-field"],
)
def test_a_broken_fact_base_is_refused_and_the_old_one_stays_live(
    kb_file: Path, edit_kb: EditKb, edit: object, error: str
) -> None:
    live = Bot(make_engine(load_knowledge(kb_file)))
    old = live.knowledge.version
    edit_kb(edit)  # type: ignore[arg-type]

    result = Reloader(live, kb_file).reload()

    assert not result.ok and not result.changed
    assert result.message.startswith(ops_messages.RELOAD_FAILED.split("{")[0])
    assert old in result.message and error in result.message
    assert live.knowledge.version == old
    assert ask(live, "what is the trade volume?") == TRADE


def test_a_fact_base_the_engine_chokes_on_is_refused(
    kb_file: Path, edit_kb: EditKb, monkeypatch: pytest.MonkeyPatch
) -> None:
    live = Bot(make_engine(load_knowledge(kb_file)))
    edit_kb(lambda text: text.replace(TRADE, CHEAPER))

    def broken(self: Engine, question: Question) -> None:
        raise RuntimeError("index corrupted")

    monkeypatch.setattr(Engine, "answer", broken)
    result = Reloader(live, kb_file).reload()
    monkeypatch.undo()

    assert not result.ok and "RuntimeError: index corrupted" in result.message
    assert ask(live, "what is the trade volume?") == TRADE


def test_reloading_an_unchanged_file_changes_nothing(kb_file: Path) -> None:
    live = Bot(make_engine(load_knowledge(kb_file)))
    engine = live.engine

    result = Reloader(live, kb_file).reload()

    assert result.ok and not result.changed
    assert result.message == ops_messages.RELOAD_UNCHANGED.format(version=live.knowledge.version)
    assert live.engine is engine


def test_follow_ups_survive_a_reload_unless_their_fact_is_gone(
    kb_file: Path, edit_kb: EditKb
) -> None:
    live = Bot(make_engine(load_knowledge(kb_file)))
    reloader = Reloader(live, kb_file)
    ask(live, "what is the trade volume?", "kept")
    ask(live, "who skipped the forum?", "lost")

    edit_kb(lambda t: t.replace(TRADE, CHEAPER).replace("id: forum_skipped", "id: forum_gone"))
    assert reloader.reload().ok

    kept = live.ask(Question("source", conversation="kept"))
    assert kept.fact_id == "trade_volume" and "paragraph 9" in kept.text
    lost = live.ask(Question("source", conversation="lost"))
    assert lost.text == messages.NOTHING_BEFORE


def test_the_watcher_reloads_when_the_file_changes(kb_file: Path, edit_kb: EditKb) -> None:
    live = Bot(make_engine(load_knowledge(kb_file)))
    watcher = Watcher(Reloader(live, kb_file), interval=60)

    assert watcher.check() is None  # nothing changed yet
    edit_kb(lambda text: text.replace(TRADE, CHEAPER))
    result = watcher.check()

    assert result is not None and result.changed
    assert ask(live, "what is the trade volume?") == CHEAPER
    assert watcher.check() is None  # the same file is not reloaded twice


def test_the_watcher_retries_when_a_half_saved_file_is_completed(
    kb_file: Path, edit_kb: EditKb
) -> None:
    live = Bot(make_engine(load_knowledge(kb_file)))
    watcher = Watcher(Reloader(live, kb_file), interval=60)
    full = kb_file.read_text(encoding="utf-8")

    kb_file.write_text(full[: len(full) // 2], encoding="utf-8")  # an editor mid-save
    first = watcher.check()
    kb_file.write_text(full.replace(TRADE, CHEAPER), encoding="utf-8")
    os.utime(kb_file, ns=(1, 1))  # a different stamp even within the clock's resolution
    second = watcher.check()

    assert first is not None and not first.ok
    assert second is not None and second.ok and second.changed
    assert ask(live, "what is the trade volume?") == CHEAPER


async def test_only_admins_may_reload_and_others_are_refused_politely(
    kb_file: Path, edit_kb: EditKb
) -> None:
    live = Bot(make_engine(load_knowledge(kb_file)))
    admin = Admin(Reloader(live, kb_file), {"U0ADMIN"})
    edit_kb(lambda text: text.replace(TRADE, CHEAPER))

    assert await admin.reload("U0SOMEONE") == ops_messages.RELOAD_REFUSED
    assert ask(live, "what is the trade volume?") == TRADE
    assert (await admin.reload("U0ADMIN")).startswith("Reloaded the fact base")
    assert ask(live, "what is the trade volume?") == CHEAPER
    assert await Admin(None, {"U0ADMIN"}).reload("U0ADMIN") == ops_messages.RELOAD_REFUSED


@pytest.mark.parametrize(("text", "expected"), [
    ("reload", True), (" Reload ", True), ("RELOAD", True), ("reload now", False), ("", False)])
def test_the_reload_command(text: str, expected: bool) -> None:
    assert is_reload(text) is expected


# -- kb diff ---------------------------------------------------------------------------------------


def test_a_replay_lists_exactly_the_answers_that_change(kb_file: Path, edit_kb: EditKb) -> None:
    old = load_knowledge(kb_file)
    more = "What did Xi bring to Moscow zoo?\n      - Which animals were given?"
    edit_kb(lambda text: text.replace(TRADE, CHEAPER).replace(
        "What did Xi bring to Moscow zoo?", more))
    new = load_knowledge(kb_file)

    diff = replay(old, new, ["what is the trade volume?", "who skipped the forum?",
                             "which animals were given?", "which animals were given?", ""])

    assert diff.replayed == 3
    assert {c.question: (c.was, c.becomes) for c in diff.changes} == {
        "what is the trade volume?": ("trade_volume", "new wording (trade_volume)"),
        "which animals were given?": ("did you mean pandas_loan", "pandas_loan"),
    }
    assert summary(diff).startswith("2 of 3 questions replayed would get a different answer:")


def test_a_replay_of_identical_fact_bases_changes_nothing(kb_file: Path) -> None:
    kb = load_knowledge(kb_file)
    diff = replay(kb, kb, fact_questions(kb))

    assert diff.changes == () and diff.replayed == 8
    assert summary(diff) == "None of the 8 questions replayed would get a different answer."


def test_a_long_summary_is_cut_and_says_how_many_more() -> None:
    rows = [(f"q{n}", "no answer", "trade_volume", False) for n in range(14)]
    text = ops_messages.diff_summary(rows, replayed=20, limit=10)
    assert text.splitlines()[-1] == "… and 4 more (summit-bot kb diff lists them all)."
    assert len(text.splitlines()) == 12


# -- the whole loop: logged questions are replayed on a reload -------------------------------------


def test_ops_logs_every_question_and_replays_them_on_reload(
    kb_file: Path, edit_kb: EditKb, ops_settings: OpsSettings
) -> None:
    with Ops.open(kb_file, ops_settings) as ops:
        old = ops.bot.knowledge.version
        ops.bot.ask(Question("what is the trade volume?", "console", "c", "me"))
        ops.bot.ask(Question("who won the football match?", "console", "c", "me"))
        assert ops.bot.log is not None and ops.bot.log.flush()
        edit_kb(lambda text: text.replace(TRADE, CHEAPER))
        result = ops.reloader.reload()
    assert result.diff is not None and result.diff.replayed == 2
    assert [c.question for c in result.diff.changes] == ["what is the trade volume?"]

    with open_store(ops_settings) as store:
        rows = store.questions()
    assert [(r.text, r.outcome) for r in rows] == [
        ("what is the trade volume?", "answered"), ("who won the football match?", "abstained")]
    assert {r.kb_version for r in rows} == {old}
    assert {r.platform for r in rows} == {"console"} and rows[0].user not in ("", "me")


def test_a_reload_while_the_log_database_is_down_replays_the_fact_bases_own_questions(
    kb_file: Path, edit_kb: EditKb, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    down = f"postgresql://summit@127.0.0.1:{free_port()}/summit"  # nothing listens there
    settings = OpsSettings(data_dir=tmp_path / "data", database_url=down)
    with Ops.open(kb_file, settings) as ops:
        edit_kb(lambda text: text.replace(TRADE, CHEAPER))
        result = ops.reloader.reload()

    assert result.ok and result.changed and result.diff is not None
    assert result.diff.replayed > 0  # the fact bases' own questions
    [line] = [r for r in caplog.records if "logged questions" in r.getMessage()]
    assert "cannot connect" in line.getMessage() and line.exc_info is None  # no traceback


def test_without_the_log_nothing_is_written_and_votes_go_nowhere(
    kb_file: Path, ops_settings: OpsSettings
) -> None:
    with Ops.open(kb_file, ops_settings, log=False) as ops:
        answer = ops.bot.ask(Question("what is the trade volume?"))
        assert answer.outcome is Outcome.ANSWERED
        assert ops.bot.log is None
    assert not ops_settings.sqlite_path.exists()


def test_follow_ups_move_to_a_shared_store_and_stay_there_across_reloads(
    kb_file: Path, edit_kb: EditKb
) -> None:
    """What service.prepare does with REDIS_URL: the live engine keeps logging and reloading."""
    from operations.memory import MemoryContext

    live = Bot(make_engine(load_knowledge(kb_file)))
    engine, shared = live.engine, MemoryContext()
    live.share_memory(shared)
    assert live.engine is engine  # shared memory, the same built engine: no second index
    ask(live, "what is the trade volume?", "c")
    edit_kb(lambda text: text.replace(TRADE, CHEAPER))
    assert Reloader(live, kb_file).reload().changed

    assert len(shared) == 1
    assert live.ask(Question("source", conversation="c")).fact_id == "trade_volume"


def test_a_reload_replays_the_logged_questions_and_logs_how_many_changed(
    kb_file: Path, edit_kb: EditKb, ops_settings: OpsSettings, caplog: pytest.LogCaptureFixture
) -> None:
    with Ops.open(kb_file, ops_settings) as ops:
        for text in ("what is the trade volume?", "who skipped the forum?", "pandas?", "pandas?"):
            ops.bot.ask(Question(text, platform="slack", conversation="c"))
        edit_kb(lambda text: text.replace(TRADE, CHEAPER))
        with caplog.at_level("INFO", logger="summit_bot.reload"):
            result = ops.reloader.reload()

    assert result.diff is not None and result.diff.replayed == 3  # distinct logged questions
    lines = [r.getMessage() for r in caplog.records if r.getMessage().startswith("reload:")]
    assert lines == ["reload: 1 of 3 replayed questions answer differently"]
    assert "1 of 3 questions replayed would get a different answer:" in result.message


def test_a_reload_replays_at_most_the_limit(
    kb_file: Path, edit_kb: EditKb, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("operations.reload.REPLAY_LIMIT", 2)
    asked = ["what is the trade volume?", " what is the trade volume?", "pandas?", "who came?"]
    reloader = Reloader(Bot(make_engine(load_knowledge(kb_file))), kb_file, questions=lambda: asked)
    edit_kb(lambda text: text.replace(TRADE, CHEAPER))

    result = reloader.reload()

    assert result.diff is not None and result.diff.replayed == 2  # the first two distinct
    assert [c.question for c in result.diff.changes] == ["what is the trade volume?"]

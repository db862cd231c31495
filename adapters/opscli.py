"""The organisers' commands: the question log, the report and `kb diff` (see adapters/cli.py).

    summit-bot report [--days 30] [--html FILE]   what was asked, what was not answered, 👎
    summit-bot log purge [--days N]               delete logged questions older than N days
    summit-bot kb diff OLD NEW [--questions FILE] which answers an edit of the fact base changes
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TextIO

from bot import ConfigError, SummitBotError
from knowledge.loader import load_knowledge
from operations import kbdiff
from operations.engines import make_engine
from operations.ops import Ops
from operations.ops_settings import OpsSettings, from_env
from operations.questionlog import open_store
from operations.report.suspects import SMALL_LEAD
from operations.settings import Checked
from operations.terminal import json_text, printable


def add_commands(sub: argparse._SubParsersAction, kb_sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    report = sub.add_parser("report", help="what people asked and what the bot could not answer")
    report.add_argument("--days", type=int, default=30, help="the last N days (0: all; 30)")
    report.add_argument("--html", type=Path, metavar="FILE", help="also write a page with charts")
    report.add_argument("--close-call", type=float, default=SMALL_LEAD, metavar="LEAD",
                        help="answers less than this ahead of the next fact may be wrong "
                        f"({SMALL_LEAD})")
    report.add_argument("--limit", type=int, default=20, help="rows per table (20)")
    report.set_defaults(run=_report)

    log = sub.add_parser("log", help="manage the question log")
    log_sub = log.add_subparsers(title="log commands", metavar="LOG_COMMAND", required=True)
    purge = log_sub.add_parser("purge", help="delete questions older than the retention period")
    purge.add_argument("--days", type=int, default=None,
                       help="older than N days (default: LOG_RETENTION_DAYS)")
    purge.set_defaults(run=_purge)

    diff = kb_sub.add_parser("diff", help="list the questions whose answer an edit would change")
    diff.add_argument("old", type=Path, help="the fact base as it is (e.g. the live one)")
    diff.add_argument("new", type=Path, help="the edited fact base")
    diff.add_argument("--questions", type=Path, metavar="FILE",
                      help="replay these (one a line, or JSON lines with \"q\") instead of the "
                      "logged questions")
    diff.add_argument("--json", action="store_true", help="one JSON object per changed answer")
    diff.set_defaults(run=_kb_diff)


def _say(*parts: object, end: str = "\n", file: TextIO | None = None) -> None:
    """Every line these commands write: logged text cannot drive the terminal (printable)."""
    (file or sys.stdout).write(printable(" ".join(str(p) for p in parts)) + end)


def open_ops(
    args: argparse.Namespace,
    *,
    watch: bool = False,
    log_required: bool = False,
    checked: Checked | None = None,
) -> Ops:
    """The live engine for console, ask, slack and discord: logged unless --no-log.

    The console and `ask` still answer when the log cannot be opened (a read-only folder, say):
    they say so on stderr and go on unlogged. A platform bot (`log_required`) fails at start.
    """
    settings = from_env(checked=checked)  # as read by the caller, if it did
    log = not getattr(args, "no_log", False)
    try:
        return Ops.open(args.kb, settings, log=log, watch=watch)
    except ConfigError as exc:
        if log_required or not log or "question log" not in str(exc):
            raise
        _say(f"summit-bot: {exc}; answering without logging", file=sys.stderr)
        return Ops.open(args.kb, settings, log=False, watch=watch)


def close_ops(ops: Ops, *, say: bool = True) -> None:
    """Stop the watcher, flush the log; `say` what it could not write on stderr (a platform
    adapter says it in its log lines instead, which stay in LOG_FORMAT)."""
    stats = ops.close()
    if not say:
        return
    if stats is not None and (stats.dropped or stats.failed or stats.queued):
        _say(f"summit-bot: {stats.dropped + stats.failed + stats.queued} question(s) could not "
              f"be logged ({ops.settings.log_target})", file=sys.stderr)
    if stats is not None and stats.spooled:
        _say(f"summit-bot: {stats.spooled} question(s) wait in {ops.settings.data_dir} until "
             f"{ops.settings.log_target} is back (the next start sends them)", file=sys.stderr)


def _report(args: argparse.Namespace) -> int:
    from operations.report import build, render_html, render_text

    settings = from_env()
    since = datetime.now(UTC) - timedelta(days=args.days) if args.days > 0 else None
    with open_store(settings) as store:
        rows = store.questions(since=since)
    engine = make_engine(load_knowledge(args.kb))
    report = build(rows, engine.knowledge, engine.search, tuning=engine.tuning,
                   lead=args.close_call, limit=args.limit)
    _say(render_text(report), end="")
    if args.html is not None:
        page = render_html(report, title=engine.knowledge.event.name)
        try:
            args.html.write_text(page, encoding="utf-8")
        except OSError as exc:
            raise SummitBotError(f"{args.html}: cannot write ({exc.strerror})") from None
        _say(f"\nwrote {args.html}")
    return 0


def _purge(args: argparse.Namespace) -> int:
    settings = from_env()
    days = settings.log_retention_days if args.days is None else args.days
    if days <= 0:
        raise SummitBotError("nothing to purge: LOG_RETENTION_DAYS is 0 (keep all); "
                             "pass --days N to purge older questions")
    with open_store(settings) as store:
        gone = store.purge(before=datetime.now(UTC) - timedelta(days=days))
    _say(f"purged {gone} question(s) older than {days} days from {settings.log_target}")
    return 0


def _kb_diff(args: argparse.Namespace) -> int:
    old, new = load_knowledge(args.old), load_knowledge(args.new)
    liked: frozenset[str] = frozenset()
    if args.questions is not None:
        questions, source = _question_file(args.questions), str(args.questions)
    else:
        (questions, liked), source = _logged(from_env()), "the question log"
    if not questions:
        questions, source = kbdiff.fact_questions(old, new), "the fact bases' own questions"
    diff = kbdiff.replay(old, new, questions, liked=liked)
    if args.json:
        for c in diff.changes:
            _say(json_text({"q": c.question, "before": c.was, "after": c.becomes, "liked": c.liked,
                            "before_text": c.before.text, "after_text": c.after.text}))
        return 0
    _say(f"{args.old} ({old.version}) -> {args.new} ({new.version}), "
          f"replaying {diff.replayed} questions from {source}")
    _say(kbdiff.summary(diff, limit=len(diff.changes)))
    return 0


def _logged(settings: OpsSettings) -> tuple[list[str], frozenset[str]]:
    """The logged questions, most recent first, and those whose answer had a 👍."""
    with open_store(settings) as store:
        return store.recent_texts(limit=100_000), kbdiff.liked(store.questions())


def _question_file(path: Path) -> list[str]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise SummitBotError(f"{path}: cannot read ({exc.strerror})") from None
    questions = []
    for line in lines:
        line = line.strip()
        if line.startswith("{"):
            try:
                line = str(json.loads(line).get("q", ""))
            except (json.JSONDecodeError, AttributeError):
                raise SummitBotError(f"{path}: not a JSON line: {line[:60]}") from None
        questions.append(line)
    return [q for q in questions if q]

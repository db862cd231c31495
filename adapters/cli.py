"""`summit-bot`: the command line. Settings are read here, at the edge, and nowhere else.

    summit-bot console                 chat in the terminal (the default)
    summit-bot ask "question" [--json] one answer; --jsonl answers {"q": ...} lines from stdin
    summit-bot eval FILE.jsonl         accuracy by kind; --min-answerable etc. to fail below a bar
    summit-bot kb check [FILE]         validate and self-test a fact base; kb export, kb diff
    summit-bot kb new ARTICLE.txt      a draft fact base from a document, to edit
    summit-bot config [--example]      the effective settings, secrets masked (or .env.example)
    summit-bot health                  is the running adapter ready? (its /healthz; exit 0 or 1)
    summit-bot report [--html FILE]    what was asked and not answered; log purge; kb diff OLD NEW
    summit-bot slack | discord         run a platform adapter (needs its extra installed)
"""

from __future__ import annotations

import argparse
import io
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import knowledge.loader
from adapters import kbcli, messages, opscli
from adapters.kbcli import json_line
from adapters.selfcheck import SELFTEST_LIMIT
from bot import Answer, Outcome, Question, SummitBotError
from operations.live import Bot
from operations.terminal import json_text, printable

KB_VARIABLE = "SUMMIT_KB"

log = logging.getLogger("summit_bot.cli")


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    _tolerant_stdin()
    try:
        return int(args.run(args) or 0)
    except SummitBotError as exc:
        print(printable(f"summit-bot: error: {exc}"), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


def _tolerant_stdin() -> None:
    """Bytes that are not UTF-8 on stdin become U+FFFD instead of ending the program, and only
    a newline ends a line (a stray carriage return is part of the line, as in JSON Lines)."""
    if isinstance(sys.stdin, io.TextIOWrapper):
        sys.stdin.reconfigure(errors="replace", newline="\n")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="summit-bot",
        description="Answers questions about one event from its fact base: in the console, "
        "Slack and Discord.",
    )
    parser.add_argument(
        "--kb",
        default=os.environ.get(KB_VARIABLE) or str(knowledge.loader.DEFAULT),
        help=f"fact base file (default: ${KB_VARIABLE} or the shipped summit fact base)",
    )
    no_log_help = "do not record questions in the question log (this run only)"
    parser.add_argument("--no-log", action="store_true", help=no_log_help)
    no_log = argparse.ArgumentParser(add_help=False)  # also accepted after the command
    no_log.add_argument(
        "--no-log", action="store_true", default=argparse.SUPPRESS, help=no_log_help
    )
    parser.set_defaults(run=_console)
    sub = parser.add_subparsers(title="commands", metavar="COMMAND")

    console = sub.add_parser("console", help="chat in the terminal", parents=[no_log])
    console.set_defaults(run=_console)

    ask = sub.add_parser(
        "ask", help="answer one question, or a JSON-lines batch from stdin", parents=[no_log]
    )
    ask.add_argument("question", nargs="?", help="the question (omit with --jsonl)")
    ask.add_argument("--json", action="store_true", help="print the answer value as JSON")
    ask.add_argument("--jsonl", action="store_true", help='read {"q": ...} lines from stdin')
    ask.set_defaults(run=_ask)

    ev = sub.add_parser("eval", help="grade the bot on a JSON-lines question file")
    ev.add_argument("file", type=Path)
    ev.add_argument("--min-answerable", type=float, default=0.0, metavar="SHARE")
    ev.add_argument("--min-abstain", type=float, default=0.0, metavar="SHARE")
    ev.add_argument("--max-wrong", type=float, default=1.0, metavar="SHARE")
    ev.add_argument("--failures", action="store_true", help="list every question it got wrong")
    ev.set_defaults(run=kbcli.run_eval)

    kb = sub.add_parser("kb", help="draft, check, export or compare fact bases")
    kb_sub = kb.add_subparsers(title="kb commands", metavar="KB_COMMAND", required=True)
    check = kb_sub.add_parser("check", help="validate a fact base and report what is wrong")
    check.add_argument("file", nargs="?", type=Path)
    check.add_argument("--strict", action="store_true",
                       help="fail (exit 1) when the self-test answers a phrasing with another fact")
    check.add_argument("--no-selftest", action="store_true", help="validate only")
    check.add_argument("--selftest-limit", type=int, default=SELFTEST_LIMIT, metavar="N",
                       help=f"skip the self-test above N phrasings (default {SELFTEST_LIMIT})")
    check.set_defaults(run=kbcli.kb_check)
    new = kb_sub.add_parser("new", help="write a draft fact base from a document to edit")
    new.add_argument("article", type=Path, help="the document, as plain text")
    new.add_argument("-o", "--output", type=Path, metavar="FILE",
                     help="where to write it (default: the document's name with .yaml, beside it)")
    new.add_argument("--event", help="the event's name (default: a TODO to fill in)")
    new.set_defaults(run=kbcli.kb_new)
    export = kb_sub.add_parser("export", help="write facts, questions and answers")
    export.add_argument("--format", choices=("json", "tsv"), default="json")
    export.set_defaults(run=kbcli.kb_export)
    opscli.add_commands(sub, kb_sub)  # report, log purge, kb diff

    config = sub.add_parser("config", help="print the effective settings, secrets masked")
    config.add_argument("--example", action="store_true", help="print .env.example instead")
    config.set_defaults(run=_config)

    health = sub.add_parser("health", help="ask a running adapter's /healthz (exit 0: ready)")
    health.add_argument("--url", help="default: http://127.0.0.1:$HEALTH_PORT/healthz")
    health.set_defaults(run=_health)

    for name in ("slack", "discord"):
        platform = sub.add_parser(name, help=f"run the {name.title()} bot", parents=[no_log])
        platform.set_defaults(run=_platform, platform=name)
        if name == "slack":
            platform.add_argument("--http", action="store_true", help="Events API over HTTP")
            platform.add_argument("--port", type=int, default=3000)
        else:
            platform.add_argument(
                "--shard-count", default=None, help="number of shards, or 'auto' to ask Discord"
            )
            platform.add_argument("--shard-ids", default=None, help="comma-separated, e.g. 0,1")
    return parser


def _console(args: argparse.Namespace) -> int:
    from adapters import console

    if console.is_interactive(sys.stdin, sys.stdout):  # the fit can take seconds: say so first
        print(messages.GETTING_READY, file=sys.stderr, flush=True)
    ops = opscli.open_ops(args, watch=True)  # logged; reloads when the fact base file changes
    try:
        return console.run(ops.bot)
    finally:
        opscli.close_ops(ops)


def answer_json(answer: Answer) -> dict[str, Any]:
    """The stable batch shape of an answer (see README: `ask --jsonl`)."""
    return {
        "answered": answer.answered,
        "text": answer.text,
        "fact_id": answer.fact_id,
        "confidence": answer.confidence,
        "suggestions": [s.question for s in answer.suggestions],
    }


def _ask(args: argparse.Namespace) -> int:
    ops = opscli.open_ops(args)
    try:
        return _answer(ops.bot, args)
    finally:
        opscli.close_ops(ops)


def _answer(bot: Bot, args: argparse.Namespace) -> int:
    if args.jsonl:
        for number, line in enumerate(sys.stdin, 1):
            print(json_text(_batch_line(bot, line, number)), flush=True)
        return 0
    if args.question is None:
        raise SummitBotError('ask needs a question, e.g. summit-bot ask "who came?", or --jsonl')
    reply = _safe_answer(bot, Question(args.question, platform="cli", conversation="cli"))
    print(json_text(answer_json(reply)) if args.json else printable(reply.text))
    return 0


def _batch_line(bot: Bot, line: str, number: int) -> dict[str, Any]:
    """The output line for input line `number`: the object with "bot" added, or with "error"
    (and the line number) when the line is not an object. Every line gets one."""
    try:
        item = json_line(line, number)
    except SummitBotError as exc:
        return {"line": number, "error": str(exc)}
    conversation = str(item.get("conversation", f"jsonl:{number}"))
    question = Question(str(item.get("q", "")), platform="cli", conversation=conversation)
    return {**item, "bot": answer_json(_safe_answer(bot, question))}


def _safe_answer(bot: Bot, question: Question) -> Answer:
    try:
        return bot.ask(question)
    except Exception:  # the engine promises never to raise; if it does, say sorry and go on
        log.exception("engine failed (conversation %s)", question.conversation)
        return Answer(Outcome.ABSTAINED, messages.ERROR)


def _platform(args: argparse.Namespace) -> int:
    # The live engine logs every question and is swapped by reloads (operations/ops.py); the
    # adapters take it where they take an Engine. Logging is set up first, so that the question
    # log's first lines (its database down at start, say) are written as LOG_FORMAT says.
    from operations.logs import setup_logging
    from operations.settings import read

    checked = read()  # the environment, then .env: once, for logging, operations and the adapter
    setup_logging(checked.settings)  # faulty values are named later, by the adapter's check
    ops = opscli.open_ops(args, watch=True, log_required=True, checked=checked)
    try:
        if args.platform == "slack":
            from adapters.slack import run as run_slack

            return run_slack(ops.bot, args, ops=ops, checked=checked)
        from adapters.discord import run as run_discord

        return run_discord(ops.bot, args, ops=ops, checked=checked)
    finally:
        opscli.close_ops(ops, say=False)


def _health(args: argparse.Namespace) -> int:
    from operations.probe import health_url, probe
    from operations.settings import read

    ready, text = probe(args.url or health_url(read().settings))
    print(text)
    return 0 if ready else 1


def _config(args: argparse.Namespace) -> int:
    if args.example:
        from operations.settings import example

        print(example(), end="")
        return 0
    from adapters.showconfig import effective

    text, ok = effective()
    print(text, end="")
    return 0 if ok else 2

"""`summit-bot eval` and `summit-bot kb check|export`: the fact base and the eval files.

    summit-bot eval FILE.jsonl         accuracy by kind and the confusions (expected -> answered);
                                       --min-answerable etc. to fail below a bar
    summit-bot kb new ARTICLE.txt      a draft fact base from a document (ARTICLE.yaml beside it)
    summit-bot kb check [FILE]         validate a fact base, then self-test it (--strict: confusions
                                       fail); kb export --format json|tsv
"""

from __future__ import annotations

import argparse
import json
import stat
import sys
from pathlib import Path
from typing import Any

from adapters import messages
from adapters.selfcheck import run_selftest
from bot import KnowledgeBase, Question, SummitBotError
from bot.evaluate import Graded, Item, Report, confusions, first_offer, parse_item, report
from knowledge.draft import draft
from knowledge.loader import MAX_FILE_BYTES, load_knowledge
from operations.engines import make_engine
from operations.terminal import printable


def json_line(line: str, number: int) -> dict[str, Any]:
    if not line.strip():
        raise SummitBotError(f"line {number}: empty")
    try:
        item = json.loads(line)
    except json.JSONDecodeError as exc:
        raise SummitBotError(f"line {number}: not JSON ({exc.msg})") from None
    except (ValueError, RecursionError):  # a number of 5,000 digits, arrays nested 10,000 deep
        raise SummitBotError(f"line {number}: not JSON this bot can read") from None
    if not isinstance(item, dict):
        raise SummitBotError(f'line {number}: expected an object like {{"q": "..."}}')
    return item


def run_eval(args: argparse.Namespace) -> int:
    """Every line is checked before any is asked: the first bad one stops it, named."""
    kb = load_knowledge(args.kb)
    items = _eval_items(args.file, {f.id for f in kb.facts})
    engine = make_engine(kb)
    graded = []
    for number, item in items:
        reply = engine.answer(Question(item.question, conversation=f"eval:{number}"))
        graded.append(Graded(item.question, item.kind, item.expect, reply.answered, reply.text,
                             fact_id=reply.fact_id, offered=first_offer(reply, kb)))
    result = report(graded)
    _print_report(result, show_failures=args.failures)
    _print_confusions(confusions(graded))
    passed = (
        result.answerable >= args.min_answerable
        and result.abstain >= args.min_abstain
        and result.confident_wrong <= args.max_wrong
    )
    return 0 if passed else 1


def _eval_items(path: Path, fact_ids: set[str]) -> list[tuple[int, Item]]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise SummitBotError(f"{path}: cannot read ({exc.strerror})") from None
    except UnicodeDecodeError:
        raise SummitBotError(f"{path}: not UTF-8 text") from None
    return [
        (number, parse_item(json_line(line, number), line=number, fact_ids=fact_ids))
        for number, line in enumerate(lines, 1)
        if line.strip()
    ]


def _print_confusions(found: list[tuple[str, str, int]]) -> None:
    if not found:
        return
    print(messages.EVAL_CONFUSIONS)
    for expected, answered, count in found:
        print(messages.EVAL_CONFUSION.format(expected=expected, answered=answered, count=count))


def _print_report(result: Report, *, show_failures: bool) -> None:
    if show_failures:
        for g in result.failures:
            print(f"FAIL [{g.kind}] {g.question[:100]!r}\n     -> {g.text[:160]!r}")
    for kind, (right, total) in result.by_kind.items():
        print(f"{kind:<14} {right:>4}/{total:<4} {right / total:6.1%}")
    print(f"questions      {result.total}")
    print(f"answerable     {result.answerable:.1%}")
    print(f"offered first  {result.offered:.1%}")
    print(f"abstain        {result.abstain:.1%}")
    print(f"confident-wrong {result.confident_wrong:.1%}")


def kb_check(args: argparse.Namespace) -> int:
    """Validate, then self-test: confusions are a warning, an error with --strict (exit 1)."""
    path = args.file or Path(args.kb)
    kb = load_knowledge(path)
    print(f"{path}: OK, {len(kb.facts)} facts, {_count_questions(kb)} questions, "
          f"{len(kb.aliases)} aliases, version {kb.version}")
    if args.no_selftest:
        return 0
    lines, crossed = run_selftest(kb, limit=args.selftest_limit)
    print("\n".join(lines))
    if args.strict and crossed:
        print(printable(f"summit-bot: error: "
                        f"{messages.SELFTEST_STRICT.format(file=path, crossed=crossed)}"),
              file=sys.stderr)
        return 1
    return 0


def kb_new(args: argparse.Namespace) -> int:
    """A draft fact base from a document; never over an existing file."""
    article: Path = args.article
    target: Path = args.output or article.with_suffix(".yaml")
    text = _read_article(article)
    if target.exists() or target.is_symlink():
        raise SummitBotError(messages.KB_NEW_EXISTS.format(file=target))
    drafted = draft(text, source_name=article.name, event=args.event)
    try:
        with target.open("x", encoding="utf-8") as file:  # "x": not even a file made meanwhile
            file.write(drafted)
    except OSError as exc:
        raise SummitBotError(f"{target}: cannot write ({exc.strerror})") from None
    facts = sum(line.startswith("  - id: ") for line in drafted.splitlines())
    print(messages.KB_NEW_WROTE.format(file=target, facts=facts, article=article))
    print(messages.KB_NEW_NEXT.format(file=target))
    return 0


def _read_article(path: Path) -> str:
    """The document's text, refused like a fact base: not a regular file, too big, not UTF-8."""
    try:
        if not stat.S_ISREG(path.stat().st_mode):
            raise SummitBotError(f"{path}: not a regular file")
        with path.open(encoding="utf-8") as file:
            text = file.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise SummitBotError(f"{path}: cannot read ({exc.strerror})") from None
    except UnicodeDecodeError:
        raise SummitBotError(f"{path}: not UTF-8 text") from None
    if len(text) > MAX_FILE_BYTES:
        raise SummitBotError(f"{path}: larger than {MAX_FILE_BYTES // 2**20} MB")
    return text


def _count_questions(kb: KnowledgeBase) -> int:
    return sum(len(f.questions) for f in kb.facts)


def kb_export(args: argparse.Namespace) -> int:
    kb = load_knowledge(args.kb)
    if args.format == "json":
        rows = [
            {"id": f.id, "topic": f.topic, "questions": list(f.questions), "answer": f.answer}
            for f in kb.facts
        ]
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    print("id\ttopic\tquestion\tanswer")
    for f in kb.facts:
        for q in f.questions:
            print("\t".join(_tsv(x) for x in (f.id, f.topic, q, f.answer)))
    return 0


def _tsv(value: str) -> str:
    return value.replace("\t", " ").replace("\n", " ")

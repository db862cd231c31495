"""`summit-bot kb check`'s self-test: the facts the matcher confuses, printed for an organiser.

    lines, crossed = run_selftest(kb, limit=SELFTEST_LIMIT)   # what to print; crossings or None

The engines of the self-test (bot/selftest.py, one per fold) are built without the fitted-ranker
cache, so a check never writes DATA_DIR/cache. Its time grows with the number of phrasings (each
fold fits a ranker and asks about half of them): above `limit` it is skipped, with a line that
says so, and the check stays a check.
"""

from __future__ import annotations

from collections.abc import Sequence

from adapters import messages
from bot import Engine, KnowledgeBase
from bot.matching.semantic import Embedder
from bot.selftest import HeldOut, Landing, Pair, SelfTest, confusions
from knowledge.loader import load_language
from operations.engines import StoredVectors, load_embedder

SELFTEST_LIMIT = 3000  # phrasings; the summit fact base (996): about 9 s on 2 cores (5 words only)
PAIRS_SHOWN = 10
PHRASINGS_SHOWN = 3  # a pair's phrasings that went astray, shown


def uncached_engine(knowledge: KnowledgeBase, embedder: Embedder | None = None) -> Engine:
    """An engine as `make_engine` builds one, without its cache: the self-test's folds are
    fact bases no one will load, so their fits are not worth keeping."""
    return Engine(knowledge, load_language(), embedder=embedder or load_embedder())


def run_selftest(
    knowledge: KnowledgeBase, *, limit: int = SELFTEST_LIMIT
) -> tuple[list[str], int | None]:
    """The self-test's lines to print, and the number of crossings (None when skipped)."""
    phrasings = sum(len(f.questions) for f in knowledge.facts)
    if phrasings > limit:
        return [messages.SELFTEST_SKIPPED.format(phrasings=phrasings, limit=limit)], None
    model = load_embedder()
    shared = StoredVectors(model) if model else None
    if shared is not None:  # every phrasing embedded once, together: the folds and their
        shared([t for f in knowledge.facts for t in (*f.questions, f.answer)])  # questions
    result = confusions(knowledge, lambda kb: uncached_engine(kb, shared),
                        stopwords=load_language().stopwords)
    return selftest_lines(result), sum(len(p.crossings) for p in result.pairs)


def selftest_lines(result: SelfTest) -> list[str]:
    right = sum(r.landing is Landing.RIGHT for r in result.results)
    total = len(result.results)
    lines = [messages.SELFTEST_SHARE.format(right=right, total=total, share=result.share_right)]
    if not result.pairs:
        lines.append(messages.SELFTEST_NO_CONFUSION)
    else:
        lines.append(messages.SELFTEST_CONFUSED)
        for pair in result.pairs[:PAIRS_SHOWN]:
            lines += _pair_lines(pair)
        if len(result.pairs) > PAIRS_SHOWN:
            lines.append(messages.SELFTEST_MORE_PAIRS.format(more=len(result.pairs) - PAIRS_SHOWN))
    if result.untested:
        lines.append(messages.SELFTEST_UNTESTED.format(facts=", ".join(result.untested)))
    return lines


def _pair_lines(pair: Pair) -> list[str]:
    head = messages.SELFTEST_PAIR.format(
        first=pair.first, second=pair.second,
        crossed=len(pair.crossings), doubtful=len(pair.doubts),
    )
    shown: Sequence[HeldOut] = (*pair.crossings, *pair.doubts)[:PHRASINGS_SHOWN]
    return [head, *(_phrasing_line(h) for h in shown),
            messages.SELFTEST_HINT.format(hint=pair.hint)]


def _phrasing_line(held: HeldOut) -> str:
    template = (
        messages.SELFTEST_CROSSED if held.landing is Landing.CROSSED else messages.SELFTEST_DOUBTED
    )
    return template.format(phrasing=held.phrasing[:100], expected=held.expected,
                           went_to=held.went_to)

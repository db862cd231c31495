"""The report as terminal tables (what `summit-bot report` prints)."""

from __future__ import annotations

from collections.abc import Sequence

from operations.questionlog import TURNED_AWAY
from operations.report.build import Report
from operations.terminal import printable

OUTCOME_NAMES = {
    "answered": "answered",
    "did_you_mean": "did you mean",
    "abstained": "not answered",
    "command": "commands",
    TURNED_AWAY: "turned away (busy)",
}


NOTHING = "(none near)"


def render_text(report: Report, *, width: int = 100) -> str:
    if not report.total:
        return "No questions logged in this period."
    period = f"{report.first:%Y-%m-%d} to {report.last:%Y-%m-%d}" if report.first else ""
    parts = [
        f"summit-bot report: {report.total} questions from {report.people} people, {period} "
        f"(fact base {', '.join(report.kb_versions)})",
        table(["outcome", "questions", "share"],
              [[OUTCOME_NAMES.get(o, o), str(n), f"{n / report.total:.0%}"]
               for o, n in report.outcomes]),
        _section("Not answered, or answered with “did you mean”: by the nearest fact",
                 table(["asked", "nearest fact", "examples"], [
                     [str(g.count),
                      f"{g.closest.fact_id} ({g.closest.score:.2f})" if g.closest else NOTHING,
                      " | ".join(g.examples[:3])]
                     for g in report.unanswered], width=width)),
        _section("Answers voted down most (👎)", table(["fact", "down", "up", "asked as"], [
            [f.fact_id, str(f.down), str(f.up), " | ".join(f.examples[:2])]
            for f in report.downvoted], width=width)),
        _section("May be wrong: answers to check", table(["question", "fact", "why", "times"], [
            [x.question or "(a button)", x.fact_id, f"{x.why}: {x.detail}", str(x.count)]
            for x in report.suspects], width=width)),
        _section("Questions per day", table(["day", "questions"], [
            [f"{d:%Y-%m-%d}", str(n)] for d, n in report.per_day])),
        _section("Questions per platform", table(["platform", "questions"], [
            [p, str(n)] for p, n in report.per_platform])),
        _section("Most asked facts", table(["fact", "asked", "question"], [
            [f, str(n), q] for f, q, n in report.top_facts], width=width)),
    ]
    return "\n\n".join(parts) + "\n"


def _section(title: str, body: str) -> str:
    return f"{title}\n{'-' * len(title)}\n{body}"


def table(headers: Sequence[str], rows: Sequence[Sequence[str]], *, width: int = 100) -> str:
    """Left-aligned columns; the last column is cut so that a line fits in `width`."""
    if not rows:
        return "(none)"
    rows = [[printable(cell).replace("\n", " ") for cell in row] for row in rows]
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]
    fixed = sum(widths[:-1]) + 2 * (len(widths) - 1)
    widths[-1] = max(len(headers[-1]), min(widths[-1], width - fixed))
    lines = [_line(headers, widths), _line(["-" * w for w in widths], widths)]
    lines += [_line(r, widths) for r in rows]
    return "\n".join(lines)


def _line(cells: Sequence[str], widths: Sequence[int]) -> str:
    out = []
    for cell, w in zip(cells, widths, strict=True):
        cell = cell.replace("\n", " ")
        out.append(cell if len(cell) <= w else cell[: w - 1] + "…")
    return "  ".join(c.ljust(w) for c, w in zip(out, widths, strict=True)).rstrip()

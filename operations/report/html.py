"""The report as one self-contained HTML page: inline CSS and SVG charts, nothing fetched.

    Path("report.html").write_text(render_html(report, title="St Petersburg summit"))

A Content-Security-Policy forbids every outside resource, so the page opens the same offline,
from a mail attachment or a file share. Every logged text is escaped.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from operations.questionlog import TURNED_AWAY
from operations.report.build import Report
from operations.report.groups import Group
from operations.report.text import OUTCOME_NAMES

_CSS = """
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1d2433;
background:#f6f7f9}main{max-width:960px;margin:0 auto;padding:24px}h1{font-size:26px;margin:0 0 4px}
h2{font-size:19px;margin:32px 0 12px;border-bottom:2px solid #dde2ea;padding-bottom:4px}
.muted{color:#5b6577}.cards{display:flex;gap:12px;flex-wrap:wrap;margin-top:16px}
.card{background:#fff;border:1px solid #dde2ea;border-radius:8px;padding:10px 14px;min-width:120px}
.card b{display:block;font-size:22px}.group{background:#fff;border:1px solid #dde2ea;
border-left:4px solid #d9822b;border-radius:6px;padding:10px 14px;margin:10px 0}
.group h3{margin:0 0 6px;font-size:16px}.group ul{margin:4px 0 6px 18px;padding:0}
table{border-collapse:collapse;width:100%;background:#fff}th,td{text-align:left;padding:6px 8px;
border-bottom:1px solid #e6e9ef;vertical-align:top}th{background:#eef1f5}code{font-size:13px}
svg text{font:12px system-ui,sans-serif;fill:#3b4454}.none{color:#5b6577;font-style:italic}
"""
_COLOURS = {"answered": "#2f8f5b", "did_you_mean": "#d9822b", "abstained": "#c8453b",
            "command": "#6b7a90", TURNED_AWAY: "#7d5ba6"}


def render_html(report: Report, *, title: str = "summit-bot") -> str:
    e = escape
    period = (f"{report.first:%Y-%m-%d} to {report.last:%Y-%m-%d}"
              if report.first and report.last else "no questions yet")
    body = [
        f"<header><h1>What people asked {e(title)}</h1>"
        f"<p class=\"muted\">{report.total} questions from {report.people} people, {period}; "
        f"fact base {e(', '.join(report.kb_versions) or '-')}</p>{_cards(report)}</header>",
        _section("outcomes", "How questions were answered", _outcome_bar(report)),
        _section("unanswered", "Not answered, or only “did you mean”",
                 "".join(_group(g) for g in report.unanswered)),
        _section("downvoted", "Answers voted down most (👎)", _table(
            ["Fact", "Down votes", "Up votes", "Asked as"],
            [[f"<code>{e(f.fact_id)}</code><br><span class=\"muted\">{e(f.question)}</span>",
              str(f.down), str(f.up), "<br>".join(e(x) for x in f.examples)]
             for f in report.downvoted])),
        _section("may-be-wrong", "May be wrong: answers to check", _table(
            ["Question", "Answered with", "Why", "Times"],
            [[e(x.question) or "<span class=\"muted\">(a button)</span>", _fact_link(x.fact_id),
              f"<b>{e(x.why)}</b>: {e(x.detail)}", str(x.count)] for x in report.suspects])),
        _section("facts", "The facts named above", _facts(report.facts)),
        _section("per-day", "Questions per day", _columns(
            [(f"{d:%Y-%m-%d}", n) for d, n in report.per_day], label="Questions per day")),
        _section("per-platform", "Questions per platform", _bars(
            list(report.per_platform), label="Questions per platform")),
        _section("top-facts", "Most asked facts", _bars(
            [(f, n) for f, _, n in report.top_facts], label="Most asked facts",
            notes=[q for _, q, _ in report.top_facts])),
    ]
    return (
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<meta http-equiv=\"Content-Security-Policy\" "
        "content=\"default-src 'none'; style-src 'unsafe-inline'\">"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        f"<title>summit-bot report: {e(title)}</title><style>{_CSS}</style></head>"
        f"<body><main>{''.join(body)}</main></body></html>\n"
    )


def _section(anchor: str, title: str, content: str) -> str:
    content = content or "<p class=\"none\">Nothing here in this period.</p>"
    return f"<section id=\"{anchor}\"><h2>{escape(title)}</h2>{content}</section>"


def _fact_link(fact_id: str) -> str:
    return f"<a href=\"#{_anchor(fact_id)}\"><code>{escape(fact_id)}</code></a>"


def _anchor(fact_id: str) -> str:
    return escape("fact-" + fact_id.replace(" ", "_"))


def _facts(facts: Sequence[tuple[str, str]]) -> str:
    """An entry per fact the rows name, each with the anchor its rows link to."""
    if not facts:
        return ""
    items = "".join(f"<li id=\"{_anchor(f)}\"><code>{escape(f)}</code> “{escape(q)}”</li>"
                    for f, q in facts)
    return f"<ul class=\"facts\">{items}</ul>"


def _cards(report: Report) -> str:
    counts = dict(report.outcomes)
    cards = [("questions", str(report.total)), ("people", str(report.people))]
    cards += [(OUTCOME_NAMES[o], f"{counts.get(o, 0) / report.total:.0%}" if report.total else "-")
              for o in ("answered", "did_you_mean", "abstained")]
    if counts.get(TURNED_AWAY):  # the bot was too busy: worth a replica or a higher limit
        cards.append((OUTCOME_NAMES[TURNED_AWAY], str(counts[TURNED_AWAY])))
    return "<div class=\"cards\">" + "".join(
        f"<div class=\"card\"><b>{v}</b><span class=\"muted\">{escape(k)}</span></div>"
        for k, v in cards) + "</div>"


def _group(group: Group) -> str:
    e = escape
    how = ", ".join(p for p in (
        f"{group.abstained} not answered" if group.abstained else "",
        f"{group.suggested} “did you mean”" if group.suggested else "") if p)
    closest = "<p class=\"muted\">Near no fact: about nothing in the fact base.</p>"
    if group.closest is not None:
        c = group.closest
        closest = (f"<p>Nearest fact: <code>{e(c.fact_id)}</code> “{e(c.question)}” "
                   f"<span class=\"muted\">(match {c.score:.2f})</span></p>")
    examples = "".join(f"<li>{e(x)}</li>" for x in group.examples)
    return (f"<article class=\"group\"><h3><span class=\"count\">{group.count}</span> "
            f"asked “{e(group.examples[0])}” or similar <span class=\"muted\">({how})</span></h3>"
            f"<ul>{examples}</ul>{closest}</article>")


def _table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    if not rows:
        return ""
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _outcome_bar(report: Report, *, width: int = 900) -> str:
    """One stacked bar: the share of each outcome."""
    if not report.total:
        return ""
    x, parts, legend = 0.0, [], []
    for outcome, n in report.outcomes:
        w = width * n / report.total
        name = OUTCOME_NAMES.get(outcome, outcome)
        colour = _COLOURS.get(outcome, "#888")
        parts.append(f"<rect x=\"{x:.1f}\" y=\"0\" width=\"{w:.1f}\" height=\"28\" "
                     f"fill=\"{colour}\"><title>{escape(name)}: {n}</title></rect>")
        legend.append(f"<tspan fill=\"{colour}\">■</tspan> {escape(name)} {n} "
                      f"({n / report.total:.0%})  ")
        x += w
    return (f"<svg class=\"chart\" role=\"img\" aria-label=\"Outcomes\" width=\"100%\" "
            f"viewBox=\"0 0 {width} 52\">{''.join(parts)}"
            f"<text x=\"0\" y=\"46\">{''.join(legend)}</text></svg>")


def _columns(points: Sequence[tuple[str, int]], *, label: str, height: int = 200) -> str:
    """A vertical bar per point (a day), the tallest at full height, dates under some bars."""
    if not points:
        return ""
    top = max(n for _, n in points) or 1
    width = max(600, 24 * len(points))
    step = width / len(points)
    every = max(1, round(len(points) / 8))
    bars = []
    for i, (name, n) in enumerate(points):
        h = (height - 40) * n / top
        x = i * step
        bars.append(f"<rect x=\"{x + step * 0.1:.1f}\" y=\"{height - 24 - h:.1f}\" "
                    f"width=\"{step * 0.8:.1f}\" height=\"{h:.1f}\" fill=\"#3d6fb6\">"
                    f"<title>{escape(name)}: {n}</title></rect>")
        if i % every == 0:
            bars.append(f"<text x=\"{x + step / 2:.1f}\" y=\"{height - 8}\" "
                        f"text-anchor=\"middle\">{escape(name[5:])}</text>")
    axis = f"<text x=\"2\" y=\"12\">{top}</text>"
    return (f"<svg class=\"chart\" role=\"img\" aria-label=\"{escape(label)}\" width=\"100%\" "
            f"viewBox=\"0 0 {width:.0f} {height}\">{axis}{''.join(bars)}</svg>")


def _bars(
    points: Sequence[tuple[str, int]], *, label: str, notes: Sequence[str] = (), width: int = 900
) -> str:
    """A horizontal bar per point, its name on the left and its value at its end."""
    if not points:
        return ""
    top = max(n for _, n in points) or 1
    row, left = 26, 240
    rows = []
    for i, (name, n) in enumerate(points):
        y = i * row
        w = (width - left - 60) * n / top
        note = f" — {notes[i]}" if i < len(notes) else ""
        rows.append(
            f"<text x=\"{left - 8}\" y=\"{y + 17}\" text-anchor=\"end\">{escape(name[:34])}</text>"
            f"<rect x=\"{left}\" y=\"{y + 4}\" width=\"{w:.1f}\" height=\"18\" fill=\"#3d6fb6\">"
            f"<title>{escape(name + note)}: {n}</title></rect>"
            f"<text x=\"{left + w + 6:.1f}\" y=\"{y + 17}\">{n}</text>")
    return (f"<svg class=\"chart\" role=\"img\" aria-label=\"{escape(label)}\" width=\"100%\" "
            f"viewBox=\"0 0 {width} {row * len(points) + 4}\">{''.join(rows)}</svg>")

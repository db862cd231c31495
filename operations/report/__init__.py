"""`summit-bot report`: what people asked, what the bot could not answer, what they disliked.

    report = build(store.questions(since=...), engine.knowledge, engine.search,
                   tuning=engine.tuning)
    print(render_text(report))                     # terminal tables
    Path("r.html").write_text(render_html(report))  # one self-contained page with charts
"""

from __future__ import annotations

from operations.report.build import Report, build
from operations.report.groups import Group
from operations.report.html import render_html
from operations.report.text import render_text

__all__ = ["Group", "Report", "build", "render_html", "render_text"]

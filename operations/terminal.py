"""Text on its way out to a terminal or a JSON line: nothing in it can drive the terminal.

    printable("hi\\x1b]0;owned\\x07 there")   # -> "hi there": the window title stays
    json_text({"q": "\\ud800\\u202e"})        # -> '{"q": "\\ufffd\\\\u202e"}': valid UTF-8 JSON

A logged question, a fact base or a chat message can hold escape sequences (set the window
title, clear the screen, write the clipboard with OSC 52), carriage returns that overwrite a
line, bidi overrides that reverse what follows, and lone surrogates that UTF-8 cannot encode
(`print` raises on them). `printable` removes the first three and replaces the last with U+FFFD;
every text surface (console, `ask`, `report`, `kb diff`, error lines) passes its text through it.
`json_text` keeps JSON lossless instead: it escapes those characters as `\\uXXXX`.
"""

from __future__ import annotations

import json
import re

REPLACEMENT = "\ufffd"

# Whole sequences first, so that no parameter text is left behind: CSI (ESC [ or 0x9b, then
# parameters and one final byte); OSC, DCS, SOS, PM and APC up to their terminator (BEL or ST);
# any other escape (ESC, intermediates, one final byte).
_SEQUENCE = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]"
    r"|(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)"
    r"|\x1b[ -/]*[0-~]"
)
# What is left: C0 controls but tab and newline, DEL, C1 controls, bidi embeddings, overrides
# and isolates (U+202A-U+202E, U+2066-U+2069).
_CONTROL = "\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069"
_CONTROLS = re.compile(f"[{_CONTROL}]")
_SURROGATES = re.compile("[\ud800-\udfff]")
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u202a-\u202e\u2066-\u2069]")  # json.dumps escapes C0


def printable(text: str) -> str:
    """`text` safe to write to a terminal: no control sequence, no control character but tab
    and newline, no bidi override; lone surrogates become U+FFFD."""
    text = _SEQUENCE.sub("", text)
    return _SURROGATES.sub(REPLACEMENT, _CONTROLS.sub("", text))


def json_text(value: object) -> str:
    """One line of JSON for a terminal or a pipe: valid UTF-8 (a lone surrogate becomes U+FFFD)
    and nothing a terminal acts on (DEL, C1 and bidi controls escaped as \\uXXXX)."""
    text = json.dumps(value, ensure_ascii=False)
    # Outside strings JSON text is ASCII, so every match here is inside a string.
    text = _SURROGATES.sub(REPLACEMENT, text)
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m[0]):04x}", text)


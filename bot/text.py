"""Turning raw chat text into clean text, sentences and words. Pure string functions."""

from __future__ import annotations

import html
import re
import unicodedata

MAX_CHARS = 4000
"""Longer messages keep their head and tail: questions come first or last in a ramble."""

_TAG = re.compile(r"<[^<>]{0,300}>")
_SCRIPT = re.compile(r"<(script|style)\b[^>]{0,300}>.{0,5000}?</\1\s*>", re.S | re.I)
_URL = re.compile(r"https?://\S+|www\.\S+")
_MARKUP = re.compile(r"[*_~`#>|\[\]{}\\^]+")
_US = re.compile(r"\bU\.?S\.?A?\b(?!\w)")
_SENTENCE_END = re.compile(r"(?<=[.!?;:])\s+|\n+|(?<=[。！？；：?])")
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_WORD = re.compile(rf"[{_CJK}]+|[^\W_{_CJK}]+'t\b|[^\W_{_CJK}]+", re.UNICODE)
_IS_CJK = re.compile(rf"[{_CJK}]")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_SYMBOLS = {"€": " euro ", "$": " dollar ", "£": " pound ", "%": " percent ", "&": " and "}


def clip(text: str) -> str:
    """Cut a message to MAX_CHARS, keeping its start and its end."""
    if len(text) <= MAX_CHARS:
        return text
    head = MAX_CHARS // 4
    return text[:head] + "\n" + text[-(MAX_CHARS - head) :]


def clean(text: str) -> str:
    """NFKC, no control characters, no HTML tags, URLs or markdown; case kept."""
    text = unicodedata.normalize("NFKC", html.unescape(clip(text)))
    text = _SCRIPT.sub(" ", text)
    text = "".join(ch if ch.isprintable() or ch == "\n" else " " for ch in text)
    text = _URL.sub(" ", _TAG.sub(" ", text))
    text = _MARKUP.sub(" ", text)
    text = _US.sub(" usa ", text)
    for symbol, word in _SYMBOLS.items():
        text = text.replace(symbol, word)
    text = text.replace("’", "'").replace("‘", "'")
    return re.sub(r"[ \t\r\f\v]+", " ", text).strip()


def sentences(text: str) -> list[str]:
    """Split cleaned text into sentences (on . ! ? ; : and line breaks)."""
    parts = (p.strip() for p in _SENTENCE_END.split(text))
    return [p for p in parts if p]


def words(text: str) -> list[str]:
    """Lowercase words; a run of Chinese or Japanese characters is one word. A word ending in
    't stays whole ("won't", not "won" and "t": "who won?" asks about winning)."""
    return _WORD.findall(text.casefold().replace("’", "'"))


def words_with_case(text: str) -> list[str]:
    """Words as written."""
    return _WORD.findall(text)


def is_cjk(word: str) -> bool:
    return bool(_IS_CJK.match(word))


def language(text: str) -> str:
    """'zh' for Chinese characters, 'ru' for Cyrillic, else 'en'."""
    if _IS_CJK.search(text):
        return "zh"
    if _CYRILLIC.search(text):
        return "ru"
    return "en"

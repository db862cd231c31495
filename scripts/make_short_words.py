"""Regenerate knowledge/language/en/short_words.txt: real English words of 4-5 letters.

    pip install english-words && python scripts/make_short_words.py

The speller (bot/matching/spelling.py) never turns one of these into another word by adding or
dropping a letter ('plan' must not become 'plant'). Webster's 2nd (web2, public domain), as the
english-words package ships it.
"""

from __future__ import annotations

from pathlib import Path

from english_words import get_english_words_set

OUT = Path(__file__).resolve().parent.parent / "knowledge" / "language" / "en" / "short_words.txt"
HEADER = (
    "# English words of 4-5 letters (Webster's 2nd, public domain, via the english-words "
    "package).\n"
    "# Made by scripts/make_short_words.py. The speller never turns one of these into another "
    "word\n# by adding or dropping a letter (plan -> plant).\n"
)


def main() -> None:
    found = get_english_words_set(["web2"], lower=True, alpha=True)
    short = sorted(w for w in found if 4 <= len(w) <= 5)
    OUT.write_text(HEADER + "".join(f"{w}\n" for w in short), encoding="utf-8")
    print(f"{OUT}: {len(short)} words")  # noqa: T201 (a script says what it wrote)


if __name__ == "__main__":
    main()

"""From text to terms: the one pipeline that questions and the fact base both go through.

    words -> drop stop words -> stem -> (questions only) fix typos -> map aliases to their term

Chinese has no spaces: a run of characters is split at known aliases, and the rest becomes
character pairs. Attributes (what kind of thing is asked: a name, a price, a date ...) are read
from the words before stop words are dropped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

import snowballstemmer
from rapidfuzz.distance import OSA

from bot.matching.spelling import Speller
from bot.text import clean, is_cjk, sentences, words, words_with_case
from knowledge.types import Event, Language

_ENGLISH = snowballstemmer.stemmer("english")
_RUSSIAN = snowballstemmer.stemmer("russian")
_MAX_ALIAS_WORDS = 6
NOT_ABOUT = "!not_about:"
"""Prefix of the term a `not_about` phrase becomes: a thing the fact base never covers."""


@lru_cache(maxsize=100_000)
def stem(word: str) -> str:
    """The stem of one lowercase word (English or Russian); numbers and Chinese unchanged."""
    if not word.isalpha() or is_cjk(word):
        return word
    if "\u0400" <= word[0] <= "\u04ff":
        return str(_RUSSIAN.stemWord(word))
    return str(_ENGLISH.stemWord(word))


@dataclass(frozen=True, slots=True)
class Analysis:
    """A text's terms (in order, repeats kept) and the attributes it asks about."""

    terms: tuple[str, ...]
    attributes: frozenset[str]
    unknown: tuple[str, ...] = ()
    excluded: tuple[str, ...] = ()  # 'apart from *the sanctions*, what else ...'
    strange: tuple[str, ...] = ()  # unknown names and codes ('Osaka', 'G20'): other subjects
    focus: tuple[str, ...] = ()  # 'which car *models*': what is asked for, never seen before
    wanted: tuple[str, ...] = ()  # what is asked for, seen or not: 'how many *barrels*'
    text: str = ""  # the cleaned text, misspelt words corrected: for meaning and n-grams


class Analyzer:
    """Built once from a fact base's aliases and texts and the word lists of `language`
    (knowledge/language/); then `analyze` any text."""

    def __init__(
        self,
        aliases: Mapping[str, Sequence[str]],
        texts: Iterable[str],
        *,
        language: Language,
        not_about: Sequence[str] = (),
    ) -> None:
        self.language = language
        self._stopwords = language.stopwords
        self._exclusion = _exclusion_pattern(language.exclusions)
        self.common_stems = frozenset(stem(w) for w in language.common_words)
        attribute_words = {  # 'what *position*': asks a kind of thing, not a new thing
            w for entries in language.attributes.values() for e in entries for w in e.split()
        }
        self._not_focus = language.stopwords | language.common_words | attribute_words
        self._latin: dict[tuple[str, ...], str] = {}
        self._near: dict[tuple[str, ...], set[str]] = {}  # a name's key, one word left out
        self._in_names: set[str] = set()  # the words of those names, as written and stemmed
        self._cjk: dict[str, str] = {}
        for phrase in not_about:
            self._add_alias(phrase, NOT_ABOUT + "_".join(self._key(phrase)))
        for term, variants in aliases.items():
            canonical = "_".join(s for s in self._key(term)) or term.casefold()
            for variant in (term, *variants):
                self._add_alias(variant, canonical)
        by_length = sorted(self._cjk, key=len, reverse=True)
        self._cjk_pattern = re.compile("|".join(map(re.escape, by_length))) if by_length else None
        tables = _attribute_tables(language.attributes)
        self._single_attrs, self._phrase_attrs, self._cjk_attrs = tables
        vocabulary = [w for text in texts for w in words(clean(text))]
        vocabulary += [w for t, vs in aliases.items() for v in (t, *vs) for w in words(v)]
        known = [w for w in vocabulary if not is_cjk(w)] + sorted(self._stopwords)
        self._words = Speller(known, short_words=language.short_words)
        self._stems_known = Speller(
            (stem(w) for w in known if w not in self._stopwords),
            substitutions=False,
            short_words=language.short_words,
        )

    def analyze(self, text: str, *, correct: bool = True) -> Analysis:
        """Terms and attributes of `text`; `correct` fixes typos (off for the fact base).

        'Apart from the sanctions, what else ...': the excluded part is not what is asked;
        its terms are kept apart, as `excluded`.
        """
        cleaned = clean(text)
        asked, excluded = _split_exclusions(cleaned.casefold(), self._exclusion)
        mended = self._mended_names(words(cleaned)) if correct else {}
        shown = self._spelled(cleaned, mended) if correct else cleaned
        analysis = replace(self._analyze(asked, correct=correct, mended=mended), text=shown)
        if correct:
            asked_words = _focus_words(words(asked), self._not_focus, self.language)
            wanted = tuple(stem(self._fix(w)) for w in asked_words)
            unknown = set(analysis.unknown)  # words the fact base has never seen: which matter
            capitalised = (
                {stem(w.casefold()) for w in _inner_capitalised(cleaned)} if unknown else set()
            )
            analysis = replace(
                analysis,
                wanted=wanted,
                focus=tuple(t for t in wanted if t in unknown),
                strange=tuple(t for t in analysis.unknown if t in capitalised or _has_digit(t)),
            )
        if not excluded:
            return analysis
        dropped = self._analyze(excluded, correct=correct, mended=mended).terms
        return replace(analysis, excluded=tuple(dropped))

    def _analyze(self, text: str, *, correct: bool, mended: Mapping[str, str]) -> Analysis:
        raw = words(text)
        attributes = self._attributes(raw)
        terms: list[str] = []
        unknown: list[str] = []
        run: list[tuple[str, str]] = []  # (word, stem) of the current non-Chinese stretch
        for word in raw:
            if is_cjk(word):
                terms += self._alias_terms(run)
                run = []
                terms += self._cjk_terms(word)
                continue
            fixed = mended.get(word) or (self._fix(word) if correct else word)
            stemmed = stem(fixed)
            if correct and fixed not in self._stopwords and not self._is_known(fixed, stemmed):
                unknown.append(stemmed)
            run.append((fixed, stemmed))
        terms += self._alias_terms(run)
        return Analysis(tuple(terms), frozenset(attributes), tuple(unknown))

    def complete_last_word(self, text: str) -> str:
        """'how many pand' -> 'how many pandas': finish a half-typed last word (autocomplete)."""
        typed = words(text)
        if not typed or text[-1:].isspace() or typed[-1] in self._words:
            return text
        completion = self._words.completion(typed[-1])
        return text if completion is None else f"{text[: text.rfind(typed[-1][0])]}{completion}"

    def names(self, *texts: str) -> set[str]:
        """Terms of the capitalised words inside sentences: the names a text mentions."""
        found: set[str] = set()
        for text in texts:
            for word in _inner_capitalised(clean(text)):
                found.update(self.analyze(word, correct=False).terms)
        return found

    def _spelled(self, text: str, mended: Mapping[str, str]) -> str:
        """`text` with its misspelt words corrected to words of the fact base, for the signals
        that read the whole text (meaning, n-grams, narrowing words): 'how many flihgts' ->
        'how many flights'."""
        fixed = {}
        for word in words(text):
            correction = self._respelled(word, mended)
            if correction != word:
                fixed[word] = correction
        if not fixed:
            return text
        pattern = re.compile(r"\b(" + "|".join(map(re.escape, fixed)) + r")\b", re.IGNORECASE)
        return pattern.sub(lambda m: fixed.get(m.group(0).casefold(), m.group(0)), text)

    def _respelled(self, word: str, mended: Mapping[str, str]) -> str:
        """How the fact base spells `word`. A word it knows only by its stem keeps its own
        spelling ('flights' where the fact base says 'flight') unless it is a letter off a
        word of the fact base of that stem and length: 'teleconferance' is 'teleconference'
        (the stem 'teleconfer' hides the typo from the words, not from the meaning model)."""
        if is_cjk(word) or word in self._stopwords or word in self._words:
            return word
        correction = mended.get(word) or self._corrected(word)
        if stem(word) in self._stems_known:
            same = len(correction) == len(word) and stem(correction) == stem(word)
            return correction if same else word
        return correction

    def _mended_names(self, raw: list[str]) -> dict[str, str]:
        """Words typed one letter off a word of a name of several words, beside the rest of it,
        each with the name's word: 'Great *Wal* Motors' is 'Great Wall Motors' when the fact
        base names it. The speller leaves words under four letters alone; beside the rest of a
        known name, one is safe to mend."""
        if self._in_names.isdisjoint(raw):
            return {}  # most questions: no word of a name of several words
        kept = self._name_words(raw)
        typos = [p for p, w in enumerate(kept) if w.isalpha() and not self._settled(w)]
        if not typos:
            return {}
        stems = self._stems(kept)
        mended: dict[str, str] = {}
        for p in typos:
            word = kept[p]
            if self._in_names.isdisjoint(stems[max(0, p - 1) : p] + stems[p + 1 : p + 2]):
                continue  # no word of a name next to it
            for key in _keys_around(stems, p):
                mended.update(
                    (word, name_word)
                    for name_word in sorted(self._near.get(key, ()))
                    if name_word[0] == word[0] and OSA.distance(word, name_word) == 1
                )
        return mended

    def _is_known(self, word: str, stemmed: str) -> bool:
        return word in self._words or stemmed in self._stems_known

    def _settled(self, word: str) -> bool:
        """A stop word or a word the fact base knows (or its stem): never corrected."""
        return word in self._stopwords or self._is_known(word, stem(word))

    def _corrected(self, word: str) -> str:
        """The word a misspelt or short one stands for: 'ppl' -> 'people' (the language's
        shorthand), 'flihgts' -> 'flights' (a word of the fact base); else the word itself."""
        return self.language.shorthand.get(word) or self._words.correct(word)

    def _fix(self, word: str) -> str:
        if self._settled(word):
            return word
        fixed = self._corrected(word)
        if fixed != word:
            return fixed
        stemmed = stem(word)
        corrected_stem = self._stems_known.correct(stemmed)
        return corrected_stem if corrected_stem != stemmed else word

    def _key(self, text: str) -> tuple[str, ...]:
        return self._stems(self._name_words(words(clean(text))))

    def _name_words(self, raw: list[str]) -> list[str]:
        """The words an alias is matched on: no articles, no Chinese."""
        return [w for w in raw if w not in self.language.articles and not is_cjk(w)]

    def _stems(self, kept: list[str]) -> tuple[str, ...]:
        same = self.language.same_words
        return tuple(stem(same.get(w, w)) for w in kept)

    def _add_alias(self, variant: str, canonical: str) -> None:
        variant_words = words(clean(variant))
        if variant_words and all(is_cjk(w) for w in variant_words):
            self._cjk["".join(variant_words)] = canonical
            return
        kept = self._name_words(variant_words)
        key = self._stems(kept)
        if key and len(key) <= _MAX_ALIAS_WORDS:
            self._latin.setdefault(key, canonical)
        if 2 <= len(key) <= _MAX_ALIAS_WORDS:
            for j, word in enumerate(kept):
                if word.isalpha():
                    self._near.setdefault((*key[:j], "*", *key[j + 1 :]), set()).add(word)
            self._in_names.update(key, kept)

    def _alias_terms(self, run: list[tuple[str, str]]) -> list[str]:
        """Replace the longest known alias at each point; drop stop words outside aliases."""
        run = [(w, s) for w, s in run if w not in self.language.articles]
        stems = [self.language.same_words.get(w, s) for w, s in run]
        out: list[str] = []
        i = 0
        while i < len(run):
            for size in range(min(_MAX_ALIAS_WORDS, len(run) - i), 0, -1):
                canonical = self._latin.get(tuple(stems[i : i + size]))
                if canonical is not None and not (size == 1 and run[i][0] in self._stopwords):
                    out.append(canonical)
                    i += size
                    break
            else:
                if run[i][0] not in self._stopwords:
                    out.append(stems[i])
                i += 1
        return out

    def _cjk_terms(self, run: str) -> list[str]:
        """Known aliases in a Chinese run (leftmost, longest first), the rest as char pairs."""
        if self._cjk_pattern is None:
            return _cjk_pairs(run, self.language.stopchars)
        out: list[str] = []
        at = 0
        for found in self._cjk_pattern.finditer(run):
            out += _cjk_pairs(run[at : found.start()], self.language.stopchars)
            out.append(self._cjk[found.group(0)])
            at = found.end()
        return out + _cjk_pairs(run[at:], self.language.stopchars)

    def _attributes(self, raw: list[str]) -> set[str]:
        """A phrase's class, not its words' ('сколько денег': money, not a count too); an
        idiom's words ask nothing ('in charge')."""
        joined = " " + " ".join(raw) + " "
        phrases = [(p, name) for p, name in self._phrase_attrs if f" {p} " in joined]
        idioms = [i for i in self.language.not_asking.get("idiom", ()) if f" {i} " in joined]
        inside = {w for p in [*(p for p, _ in phrases), *idioms] for w in p.split()}
        found = {
            self._single_attrs[w]
            for i, w in enumerate(raw)
            if w in self._single_attrs
            and w not in inside
            and not _not_asking(raw, i, self.language)
        }
        found |= {name for _, name in phrases}
        cjk = "".join(w for w in raw if is_cjk(w))
        for piece, name in self._cjk_attrs:  # longest first: 多少钱 is money, not a count
            if piece in cjk:
                found.add(name)
                cjk = cjk.replace(piece, " ")
        return _reported(found)


_ASKS_A_THING = frozenset(
    {"count", "money", "share", "duration", "age", "rank", "time", "size", "clock", "schedule",
     "place", "reason", "name"}
)


def _reported(found: set[str]) -> set[str]:
    """'How many jobs did GM announce?' asks a count, not what GM said: beside a question for
    a figure, a time, a place, a reason or a name, a reporting verb ('announce', 'say', 'told')
    only says how it became known. Alone ('what did GM announce?') it asks what was said."""
    return found - {"speech"} if found & _ASKS_A_THING else found


def for_event(language: Language, event: Event) -> Language:
    """`language` without the attribute words that name the event itself: in a fact base about
    a speech, 'honoured in the speech' is about the event, not a question of what was said.
    Question words stay ('where' in a description of where it is held)."""
    named = set(words(" ".join((event.name, event.description, event.document)).casefold()))
    named -= set(language.question_words)
    attributes = {
        name: tuple(e for e in entries if e not in named)
        for name, entries in language.attributes.items()
    }
    return replace(language, attributes=attributes)


def _inner_capitalised(text: str) -> list[str]:
    """Capitalised Latin words that do not start a sentence: names, mostly."""
    return [
        word
        for sentence in sentences(text)
        for word in words_with_case(sentence)[1:]
        if word[:1].isupper() and word[:1].isascii()
    ]


def _not_asking(raw: list[str], i: int, language: Language) -> bool:
    """An attribute word that asks nothing: 'when' or 'where' joining two clauses ('when they
    cross Russia'), 'say' of the article itself ('what does it say about ...'), 'end' in
    'end up'."""
    word, rules = raw[i], language.not_asking
    before = raw[i - 1] if i > 0 else ""
    after = raw[i + 1] if i + 1 < len(raw) else ""
    if word in rules.get("clause", ()):
        return bool(after) and after not in language.auxiliaries
    if word in rules.get("saying", ()):
        return before in language.sources
    if word in rules.get("called", ()):  # 'what are the pandas called?', not 'called lopsided'
        return bool(after)
    if word in rules.get("name", ()):  # 'their names', 'the name of', not 'did the Kremlin name'
        return before not in language.possessives and after not in rules.get("name_of", ())
    if word in rules.get("phrasal", ()):  # 'end up spending': not when something ends
        return after in rules.get("phrasal_after", ())
    return False


def _keys_around(stems: tuple[str, ...], at: int) -> Iterator[tuple[str, ...]]:
    """Every run of 2 to _MAX_ALIAS_WORDS stems that holds position `at`, with '*' there."""
    for size in range(2, min(_MAX_ALIAS_WORDS, len(stems)) + 1):
        for start in range(max(0, at - size + 1), min(at, len(stems) - size) + 1):
            yield (*stems[start:at], "*", *stems[at + 1 : start + size])


def _focus_words(raw: list[str], not_focus: frozenset[str], language: Language) -> list[str]:
    """The words right after the first 'which' or 'what' (up to two): what is asked for;
    a word of `not_focus` (stop, common and attribute words) ends them. Ended by an everyday
    word that is no stop word, they only describe it ('the current legal *situation*'): the
    thing asked for is that word, and no focus."""
    for i, word in enumerate(raw):
        if word in language.which_words:
            found: list[str] = []
            rest = raw[i + 1 :]
            for j, w in enumerate(rest):
                if w in language.focus_skip and not (found and w in language.stopwords):
                    continue  # 'what is the', 'which specific': a stop word after ends them
                if w in language.common_words and w not in language.stopwords:
                    if not found and _describes(rest[j + 1 : j + 2], not_focus, language):
                        continue  # 'how many *different* airfields': it describes the next
                    return []
                if w in not_focus or len(found) == 2:
                    break
                if w.endswith(("ed", "ing")):  # 'what kicked it off': a verb, not a thing
                    break
                found.append(w)
            return found
    return []


def _describes(after: list[str], not_focus: frozenset[str], language: Language) -> bool:
    """An everyday word that opens the words asked for describes the next one when that one is
    a thing of its own: no stop, common or attribute word."""
    return bool(after) and after[0] not in not_focus and after[0] not in language.focus_skip


def _cjk_pairs(text: str, stopchars: frozenset[str]) -> list[str]:
    chars = "".join(ch for ch in text if ch not in stopchars)
    if len(chars) <= 1:
        return [chars] if chars else []
    return [chars[i : i + 2] for i in range(len(chars) - 1)]


def _has_digit(term: str) -> bool:
    return any(ch.isdigit() for ch in term) and not (term.isdigit() and len(term) < 2)


def _exclusion_pattern(phrases: Sequence[str]) -> re.Pattern[str] | None:
    """'apart from ...,': a phrase of `phrases` (a longer one first) up to the next comma."""
    if not phrases:
        return None
    return re.compile(r"\b(?:" + "|".join(map(re.escape, phrases)) + r")\b[^,;.?!]*[,;]")


def _split_exclusions(text: str, exclusion: re.Pattern[str] | None) -> tuple[str, str]:
    """The text without its 'apart from ...,' clauses, and those clauses."""
    if exclusion is None:
        return text, ""
    excluded = " ".join(m.group(0) for m in exclusion.finditer(text))
    return exclusion.sub(" ", text), excluded


def _attribute_tables(
    attributes: Mapping[str, Sequence[str]],
) -> tuple[dict[str, str], list[tuple[str, str]], list[tuple[str, str]]]:
    single: dict[str, str] = {}
    phrases: list[tuple[str, str]] = []
    cjk: list[tuple[str, str]] = []
    for name, entries in attributes.items():
        for entry in entries:
            if is_cjk(entry):
                cjk.append((entry, name))
            elif " " in entry:
                phrases.append((entry, name))
            else:
                single[entry] = name
    cjk.sort(key=lambda pair: len(pair[0]), reverse=True)
    return single, phrases, cjk

"""Unit names: the same commune is spelt several ways, so names are compared loosely and sorted
in Vietnamese alphabetical order."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator

import numpy as np

_VOWEL_MARKS = {"\u0306": 1, "\u0302": 2, "\u031b": 3}  # ă/â-ê-ô/ơ-ư: letters of their own
# huyền, hỏi, ngã, sắc, nặng
_TONE_MARKS = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
_ALPHABET = "aăâbcdđeêghiklmnoôơpqrstuưvxy"
# Words that say what kind of unit it is, not which one: "UBND xã Nà Sáy" is called "na say".
_KIND_WORDS = ("ubnd", "uy ban nhan dan", "thi tran", "xa", "phuong", "huyen", "quan", "thi xa",
               "thanh pho", "tp.", "so", "ban", "bo phan mot cua")
# One letter apart is a likely typo only in a name long enough ("Xã A" and "Xã B" are two units).
_MIN_LETTERS_FOR_TYPO = 4
_DIGITS = re.compile(r"\d+")


def normalise(name: str) -> str:
    """Case, Unicode form and spacing do not make a different unit."""
    return " ".join(unicodedata.normalize("NFC", name).casefold().split())


def fold(name: str) -> str:
    """Without diacritics: 'Nà Sáy' and 'Na Say' fold alike."""
    decomposed = unicodedata.normalize("NFD", normalise(name)).replace("đ", "d")
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _ranks(decomposed: str) -> tuple[list[float], list[int]]:
    """Vietnamese dictionary order: letters first (a < ă < â < b … đ after d), tones second."""
    letters, tones = [], []
    for syllable_char in decomposed:
        if syllable_char in _TONE_MARKS:
            if tones:
                tones[-1] = _TONE_MARKS[syllable_char]
            continue
        if syllable_char in _VOWEL_MARKS and letters:
            base = letters.pop()
            letters.append(base + _VOWEL_MARKS[syllable_char] / 10)
            continue
        position = _ALPHABET.find(syllable_char)
        letters.append(float(position) if position >= 0 else 100.0 + ord(syllable_char))
        tones.append(0)
    return letters, tones


def _as_text(letters: list[float], tones: list[int]) -> tuple[str, str]:
    """Ranks as strings that compare as the rank lists do (one character a rank)."""
    return ("".join(chr(0x100 + round(v * 10)) for v in letters),
            "".join(chr(0x30 + t) for t in tones))


def _tables() -> tuple[dict, dict]:
    """Each precomposed character of the Latin blocks that is one letter with its marks, mapped
    to its letter and tone ranks: a name of such characters is ranked by two str.translate."""
    letters, tones = {}, {}
    for code in (*range(0x20, 0x250), *range(0x1E00, 0x1F00)):
        ranked = _ranks(unicodedata.normalize("NFD", chr(code)))
        if len(ranked[0]) == 1 and len(ranked[1]) == 1:
            letter, tone = _as_text(*ranked)
            letters[code], tones[code] = letter, tone
    return letters, tones


_LETTER_RANKS, _TONE_RANKS = _tables()
_UNRANKED = re.compile("[^" + re.escape("".join(map(chr, _LETTER_RANKS))) + "]")
_UNRANKED_OR_JOIN = re.compile("[^" + re.escape("".join(map(chr, _LETTER_RANKS)) + "\x00") + "]")


def sort_key(name: str) -> tuple[str, str]:
    """Vietnamese dictionary order: letters first (a < ă < â < b … đ after d), tones second."""
    return _key(normalise(name))


def _key(text: str) -> tuple[str, str]:
    if _UNRANKED.search(text):  # a character outside the tables: rank it the long way
        return _as_text(*_ranks(unicodedata.normalize("NFD", text)))
    return text.translate(_LETTER_RANKS), text.translate(_TONE_RANKS)


_JOIN = "\x00"  # composes with nothing, is no space and no ranked letter
_SPACES = re.compile(r"\s+")
_SPACES_AT_JOINS = re.compile(r" ?\x00 ?")
_UNEVEN_SPACES = re.compile(r"[^\S ]|  |^ | $| \x00|\x00 ")


def _normalised_column(names: list[str]) -> str | None:
    """The names normalised as one text, joined by _JOIN; None when a name holds the joint or
    a character outside the rank tables (those go one by one)."""
    joined = _JOIN.join(names)
    if joined.count(_JOIN) != len(names) - 1:
        return None
    text = unicodedata.normalize("NFC", joined).casefold()
    if _UNEVEN_SPACES.search(text):  # most tables have none: no rewriting then
        text = _SPACES_AT_JOINS.sub(_JOIN, _SPACES.sub(" ", text)).strip(" ")
    return None if _UNRANKED_OR_JOIN.search(text) else text


def sort_keys(names: list[str]) -> Iterator[list[str]]:
    """sort_key of every name for a whole column at once, as two lists made one after the
    other: the tones, then the letters. Normalising, case folding and the rank tables all work
    character by character, so the names are joined, done in a few calls, and split again."""
    text = _normalised_column(names)
    if text is None:
        keys = [sort_key(name) for name in names]
        yield [k[1] for k in keys]
        yield [k[0] for k in keys]
        return
    yield text.translate(_TONE_RANKS).split(_JOIN)
    yield text.translate(_LETTER_RANKS).split(_JOIN)


def vietnamese_order(names: list[str]) -> np.ndarray:
    """The positions of ``names`` in Vietnamese dictionary order (stable). Each list of keys
    becomes an array before the next is made: a national column's keys as text are bigger than
    its names."""
    keys = sort_keys(names)
    tones = np.array(next(keys), dtype=str)  # the list is gone before the next is made
    letters = np.array(next(keys), dtype=str)
    return np.lexsort((tones, letters))


def _core(name: str) -> str:
    words = fold(name)
    changed = True
    while changed:
        changed = False
        for kind in _KIND_WORDS:
            if words.startswith(kind + " "):
                words, changed = words[len(kind) + 1:], True
    return words


def _one_edit_apart(a: str, b: str) -> bool:
    if a == b or abs(len(a) - len(b)) > 1:
        return a == b
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    short, long_ = sorted((a, b), key=len)
    return any(long_[:i] + long_[i + 1:] == short for i in range(len(long_)))


MOST_COMPARISONS = 200_000


def near_misses(names: Iterable[str], limit: int = 1_000) -> tuple[list[tuple[int, int]], bool]:
    """Pairs of positions whose names differ only by diacritics or one letter ('Nà Sáy'/'Nhà Sáy'),
    at most ``limit`` of them, and whether the search stopped before the end.

    Each distinct name is looked at once (a name typed 8.000 times is one name: repeats are
    duplicates, reported elsewhere). Candidates meet through shared one-deletion keys, so the
    work grows with the number of names, not with its square; a table of many near-identical
    names stops after ``limit`` pairs or MOST_COMPARISONS comparisons, so the check stays
    bounded. Digits are never deleted: names that differ in a number ('Xã số 12345' /
    'Xã số 12346', 'Tổ dân phố 1' … '20') are different units, not typos.
    """
    names = list(names)
    first: dict[str, int] = {}
    for position, name in enumerate(names):
        first.setdefault(normalise(name), position)
    positions = list(first.values())
    found, stopped = _near_misses([names[p] for p in positions], limit)
    return sorted((positions[a], positions[b]) for a, b in found), stopped


def _near_misses(names: list[str], limit: int) -> tuple[set[tuple[int, int]], bool]:
    # Two names one letter apart carry the same numbers; a name whose numbers no other name
    # carries has no partner ("Xã số 12345"), so it is not even folded.
    numbers = [tuple(_DIGITS.findall(name)) for name in names]
    carried = Counter(numbers)
    candidates = [p for p, found in enumerate(numbers) if carried[found] > 1]
    folded = {p: _core(names[p]) for p in candidates}
    buckets: dict[str, list[int]] = defaultdict(list)
    for position in candidates:
        text = folded[position]
        keys = {text} | {text[:i] + text[i + 1:] for i in range(len(text))
                         if not text[i].isdigit()}
        for key in keys:
            buckets[key].append(position)
    pairs: set[tuple[int, int]] = set()
    compared = 0
    for members in buckets.values():
        for i, a in enumerate(members):
            for b in members[i + 1:]:
                compared += 1
                if len(pairs) >= limit or compared > MOST_COMPARISONS:
                    return pairs, True
                if folded[a] == folded[b] or (
                        min(len(folded[a]), len(folded[b])) >= _MIN_LETTERS_FOR_TYPO
                        and _one_edit_apart(folded[a], folded[b])):
                    pairs.add((min(a, b), max(a, b)))
    return pairs, False


def lower_first(text: str) -> str:
    """A phrase as it reads inside a sentence: 'Hồ sơ …' → 'hồ sơ …', but an acronym stays
    ('UBND các xã', 'TTHC …')."""
    first = text.split(" ", 1)[0]
    return text if first.isupper() else text[:1].lower() + text[1:]

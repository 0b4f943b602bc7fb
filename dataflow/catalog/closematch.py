"""Close matches for "did you mean" hints: exactly ``difflib.get_close_matches``, faster."""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Iterable
from heapq import nlargest


class CloseMatcher:
    """``difflib.get_close_matches(word, possibilities, n, cutoff)`` for a fixed list of
    possibilities, with the same answer: difflib tries every possibility, and ``quick_ratio``
    (2 x the characters shared, counted with repeats, / the two lengths) rejects most of them.
    Here the characters shared with every possibility are counted at once from an index built
    once ((character, k) -> the possibilities holding that character at least k times, counted
    by ``Counter.update`` in C), and only those whose quick ratio reaches the cutoff are handed
    to difflib's own three tests and ``ratio``."""

    def __init__(self, possibilities: Iterable[str]) -> None:
        self._words = list(possibilities)
        self._lengths = [len(w) for w in self._words]
        index: dict[tuple[str, int], list[int]] = {}
        for i, w in enumerate(self._words):
            for ch, count in Counter(w).items():
                for k in range(1, count + 1):
                    index.setdefault((ch, k), []).append(i)
        self._index = index

    def get(self, word: str, n: int = 3, cutoff: float = 0.6) -> list[str]:
        size = len(word)
        if not size or not 0.0 <= cutoff <= 1.0 or n <= 0:
            return difflib.get_close_matches(word, self._words, n=n, cutoff=cutoff)
        shared: Counter[int] = Counter()
        for ch, count in Counter(word).items():
            for k in range(1, count + 1):
                found = self._index.get((ch, k))
                if found is None:
                    break
                shared.update(found)
        lengths = self._words, self._lengths
        result = []
        s = difflib.SequenceMatcher()
        s.set_seq2(word)
        for i in sorted(i for i, common in shared.items()
                        if 2.0 * common / (lengths[1][i] + size) >= cutoff):
            x = lengths[0][i]
            s.set_seq1(x)
            if s.real_quick_ratio() >= cutoff and s.quick_ratio() >= cutoff and \
                    s.ratio() >= cutoff:
                result.append((s.ratio(), x))
        return [x for _score, x in nlargest(n, result)]

"""The one fast pass over every byte: a regex of all catalogue anchors that skips ordinary text.

Python's ``re`` scans quickly while the next byte cannot start any alternative, so each anchor is
cut to start at its rarest character (measured on the first MB of the input, else by a static rank),
and the anchors are folded into a trie so a position is tried once, not once per anchor.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable

__all__ = ["build_prefilter", "rare_suffix", "FAST_START"]

# Rarest first, for text logs. Lowercase letters and digits are everywhere (and the rare ones hide in
# common words: reQuest, aZureml, X-ms-...), so anchors start at a capital or a symbol; the capitals
# of INFO / ERROR / WARNING / DEBUG / GET / POST / HTTP / Nov come last.
_RANK = b"QZXJKVYUBMLCFRWADGNHESOPTI<>{}!?|~^`@#$%&*;=+\\'_qjzxkvbywgpfhmulcdrtnsioae9876543210()[]\"-,.:/ \t"
_ORDER = {byte: index for index, byte in enumerate(_RANK)}
# A prefilter literal starting with one of these keeps the scan fast (checked by the tests).
FAST_START = frozenset(_RANK[: _RANK.index(b"q")])
_MIN_SUFFIX = 4


def _static_cost(byte: int) -> float:
    return _ORDER.get(byte, len(_RANK)) / len(_RANK)


def rare_suffix(anchor: bytes, cost: Callable[[int], float] = _static_cost) -> bytes:
    """The part of ``anchor`` from its rarest character on (kept at least 4 bytes long)."""
    if len(anchor) <= _MIN_SUFFIX:
        return anchor
    best = min(range(len(anchor) - _MIN_SUFFIX + 1), key=lambda i: (cost(anchor[i]), i))
    return anchor[best:]


def _measured_cost(sample: bytes) -> Callable[[int], float]:
    """Rarity as measured on the start of the input itself, so a log full of ``T`` or ``I`` (POST,
    HTTP, ``I [pid]``) does not make every line a candidate. The static rank breaks near-ties:
    a capital is preferred unless a lowercase letter is clearly rarer in this very log."""
    counts: dict[int, float] = {}

    def cost(byte: int) -> float:
        if byte not in counts:
            counts[byte] = sample.count(bytes([byte])) / len(sample)
        return counts[byte] + 0.004 * _static_cost(byte)

    return cost


def _trie_pattern(words: Iterable[bytes]) -> bytes:
    trie: dict = {}
    for word in words:
        node = trie
        for byte in word:
            node = node.setdefault(byte, {})
        node[None] = {}

    def emit(node: dict) -> bytes:
        if None in node:  # a shorter anchor already ends here: matching it is enough
            return b""
        branches = [re.escape(bytes([b])) + emit(child) for b, child in sorted(node.items())]
        return branches[0] if len(branches) == 1 else b"(?:" + b"|".join(branches) + b")"

    return emit(trie)


_SAMPLE_MIN = 64 << 10  # below this a sample says little; the static rank is used


def build_prefilter(
    anchors: Iterable[str], sample: bytes = b""
) -> tuple[re.Pattern[bytes], dict[bytes, bytes]]:
    """One compiled pattern that finds every place where some anchor may occur, and the map from
    each anchor to the suffix of it that the pattern looks for."""
    if len(sample) < _SAMPLE_MIN:
        return _static_prefilter(tuple(anchors))
    return _compile(tuple(anchors), _measured_cost(sample))


@functools.lru_cache(maxsize=2)  # small inputs (pasted errors) all share the static-rank pattern
def _static_prefilter(anchors: tuple[str, ...]) -> tuple[re.Pattern[bytes], dict[bytes, bytes]]:
    return _compile(anchors, _static_cost)


def _compile(
    anchors: tuple[str, ...], cost: Callable[[int], float]
) -> tuple[re.Pattern[bytes], dict[bytes, bytes]]:
    suffix_of = {a.encode(): rare_suffix(a.encode(), cost) for a in anchors}
    return re.compile(_trie_pattern(sorted(set(suffix_of.values())))), suffix_of

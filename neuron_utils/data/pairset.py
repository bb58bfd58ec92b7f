"""The container every grammar chapter uses: minimal pairs with their paradigm and group."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class MinimalPairSet:
    """Parallel tuples: ``good[i]`` is grammatical, ``bad[i]`` its minimally different twin.

    ``ids`` are unique per pair; ``paradigm`` names the phenomenon (``blimp/…``,
    ``jblimp/…`` or a generated paradigm name).
    """

    good: tuple[str, ...]
    bad: tuple[str, ...]
    paradigm: tuple[str, ...]
    ids: tuple[str, ...]
    group: tuple[str, ...]  # coarser phenomenon (e.g. "agreement"), for ordering and colouring

    def __post_init__(self) -> None:
        n = len(self.good)
        if not (len(self.bad) == len(self.paradigm) == len(self.ids) == len(self.group) == n):
            raise ValueError("good, bad, paradigm, ids and group must have the same length")
        if len(set(self.ids)) != n:
            raise ValueError("pair ids must be unique")

    def __len__(self) -> int:
        return len(self.good)

    @property
    def paradigms(self) -> list[str]:
        """Paradigm names in order of first appearance."""
        return list(dict.fromkeys(self.paradigm))

    def rows(self, paradigm: str) -> np.ndarray:
        """Indices of the pairs of one paradigm."""
        return np.flatnonzero(np.asarray(self.paradigm) == paradigm)

    def subset(self, index: Sequence[int]) -> MinimalPairSet:
        index = list(index)
        return MinimalPairSet(*(tuple(getattr(self, f)[i] for i in index) for f in _FIELDS))

    def group_of(self, paradigm: str) -> str:
        return self.group[self.paradigm.index(paradigm)]

    @staticmethod
    def concat(sets: Sequence[MinimalPairSet]) -> MinimalPairSet:
        return MinimalPairSet(*(tuple(x for s in sets for x in getattr(s, f)) for f in _FIELDS))


_FIELDS = ("good", "bad", "paradigm", "ids", "group")

"""Parameters of the chapters built on sentence pairs of a parallel source: a parallel source
checked against its data (:func:`check_source`, :func:`check_parallel_pairs`) and
:class:`PairParameters`, the L1/L2 languages, the pair counts of the three non-parallel designs
of :func:`~neuron_utils.data.parallel.make_pairs` and the other corpus of the cross-corpus design.

Apart from :mod:`.parameters` so that a chapter that reads no parallel corpus does not depend on
that code (its run is not made stale by an edit here).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, ClassVar

from .. import data
from .parameters import ChapterParameters, check_choice, check_int, check_subset


def check_source(name: str, source: str, columns: dict[str, str] | None = None, allowed=None):
    """A parallel source: a built-in one (of ``allowed``, default all) or an own table, which
    is read and checked now, with its ``columns`` mapping."""
    data.check_source(name, source, allowed or data.SOURCES)
    if data.is_own(source):
        data.available_languages(source, columns)  # the mapping names columns of the table
    elif columns:
        raise ValueError(
            f"DATA_COLUMNS={columns!r} maps the columns of an own table; "
            f"DATA_SOURCE={source!r} has none (leave it empty)"
        )


def check_parallel_pairs(
    source: str,
    l1: str,
    l2s: Sequence[str],
    sizes: dict[str, tuple[int | None, str]],
    other: str = "formal",
    columns: dict[str, str] | None = None,
) -> None:
    """L1, L2 languages and pair counts of a parallel source.

    ``sizes``: name -> (value, design), a value of None is derived from the data later;
    ``other``: the other corpus of the cross-corpus design (checked when a size uses it);
    ``columns``: an own table's language columns (``DATA_COLUMNS``)."""
    check_source("DATA_SOURCE", source, columns)
    allowed = data.available_languages(source, columns)
    check_choice(f"L1 (of the {source} data)", l1, allowed)
    check_subset(
        f"L2_LANGUAGES (of the {source} data)", l2s, tuple(lang for lang in allowed if lang != l1)
    )
    if any(design == "cross-corpus" for _, design in sizes.values()):
        check_choice("OTHER_CORPUS", other, data.OTHER_CORPORA)
        if other == source:
            raise ValueError(
                f"OTHER_CORPUS={other!r} must differ from DATA_SOURCE={source!r}: the cross-corpus "
                "design takes its non-parallel L1 sentences from another corpus"
            )
        has = data.other_languages(other)
        if l1 not in has:
            raise ValueError(
                f"L1={l1!r}: the cross-corpus design takes L1 sentences from OTHER_CORPUS="
                f"{other!r}, which has only {', '.join(has)}; choose an OTHER_CORPUS with {l1} "
                "sentences (flores has every FLORES language)"
            )
    for name, (value, design) in sizes.items():
        if value is None:  # derived from the data: within its bounds
            continue
        check_int(name, value, 2)
        for l2 in l2s:
            most = data.max_pairs(source, l1, l2, design, other, columns)
            if value > most:
                raise ValueError(
                    f"{name}={value} is more than the data has for {l1}-{l2}: the {design} "
                    f"design on {source}"
                    + (f" with {other}" if design == "cross-corpus" else "")
                    + f" allows at most {most}"
                )


@dataclass(frozen=True)
class PairParameters(ChapterParameters):
    """Parameters of the chapters built on L1/L2 sentence pairs of a parallel source under the
    three non-parallel designs of :func:`~neuron_utils.data.parallel.make_pairs`."""

    DATA_SOURCE: str = (
        "bundled"  # bundled | tatoeba | flores | own .tsv/.csv/.jsonl/.parquet | hf:<id>
    )
    # an own table's columns where they are not named by language code: {"ja": "japanese"}
    DATA_COLUMNS: dict[str, str] = field(default_factory=dict)
    L1: str = "en"
    L2_LANGUAGES: list[str] = field(default_factory=lambda: ["ja", "nl", "ko", "it"])
    N_PAIRS: int = 100  # parallel pairs (and as many non-parallel) in the derangement design
    # pairs per class in the disjoint design (uses twice as many sentences); None: N_PAIRS, or
    # as many as the data allows where that is fewer
    N_PAIRS_DISJOINT: int | None = None
    # pairs per class in the cross-corpus design (non-parallel L1 sentences from OTHER_CORPUS);
    # None as for N_PAIRS_DISJOINT
    N_PAIRS_CROSS_CORPUS: int | None = None
    OTHER_CORPUS: str = "formal"  # formal | generated | flores

    PAPER: ClassVar[dict[str, Any]] = {
        "DATA_SOURCE": "tatoeba",
        "N_PAIRS": 2000,
        "N_PAIRS_DISJOINT": 1000,
        "N_PAIRS_CROSS_CORPUS": 1000,  # FLORES-200 devtest has 1,012 English sentences
        "OTHER_CORPUS": "flores",
    }
    # 2,000 pairs per class: chapter 1 takes about 17 minutes on 2 cores (its probes; see the
    # re-run guide for every chapter); 300 per class take minutes
    PAPER_LITE: ClassVar[dict[str, Any]] = {
        "N_PAIRS": 300,
        "N_PAIRS_DISJOINT": 300,
        "N_PAIRS_CROSS_CORPUS": 300,
    }

    DESIGN_SIZES: ClassVar[dict[str, str]] = {
        "derangement": "N_PAIRS",
        "disjoint": "N_PAIRS_DISJOINT",
        "cross-corpus": "N_PAIRS_CROSS_CORPUS",
    }

    def check(self) -> None:
        if not data.is_own(self.DATA_SOURCE):  # a built-in name (and no column mapping)
            check_source("DATA_SOURCE", self.DATA_SOURCE, self.DATA_COLUMNS)

    def check_data(self) -> None:
        check_parallel_pairs(
            self.DATA_SOURCE,
            self.L1,
            self.L2_LANGUAGES,
            {name: (getattr(self, name), design) for design, name in self.DESIGN_SIZES.items()},
            self.OTHER_CORPUS,
            self.DATA_COLUMNS,
        )
        for design, name in self.DESIGN_SIZES.items():  # the sizes left at None, now derived
            if self.design_sizes[design] < 2:
                raise ValueError(
                    f"{name}: the data allows {self.design_sizes[design]} pairs per class in the "
                    f"{design} design, at least 2 are needed"
                )

    def data_files(self) -> list[tuple[str, str]]:
        return data.source_files(
            self.DATA_SOURCE, [self.L1, *self.L2_LANGUAGES]
        ) + data.other_files(self.OTHER_CORPUS, self.L1)

    def describe_data(self) -> list[dict[str, Any]]:
        return data.describe_source(
            self.DATA_SOURCE, [self.L1, *self.L2_LANGUAGES], self.DATA_COLUMNS
        ) + data.describe_other(self.OTHER_CORPUS, self.L1)

    @cached_property
    def design_sizes(self) -> dict[str, int]:
        """Pairs per class of each non-parallel design (a size left at None: ``N_PAIRS``, or
        the most the data allows for every L2 where that is fewer)."""
        sizes = {}
        for design, name in self.DESIGN_SIZES.items():
            value = getattr(self, name)
            if value is None:
                most = min(
                    data.max_pairs(
                        self.DATA_SOURCE, self.L1, l2, design, self.OTHER_CORPUS, self.DATA_COLUMNS
                    )
                    for l2 in self.L2_LANGUAGES
                )
                value = min(self.N_PAIRS, most)
            sizes[design] = value
        return sizes

    def pair_sets(self) -> dict[tuple[str, str], data.PairSet]:
        """The pairs of every L2 under every design, ``{(L2, design): PairSet}``, L2 by L2."""
        return {
            (l2, design): data.make_pairs(
                self.DATA_SOURCE,
                self.L1,
                l2,
                n,
                design,
                self.SEED,
                self.OTHER_CORPUS,
                self.DATA_COLUMNS,
            )
            for l2 in self.L2_LANGUAGES
            for design, n in self.design_sizes.items()
        }


# the golden-number test's pair sizes (tests/chapters/test_golden.py): cross-corpus pairs
# from the generated minimal pairs, whose words the tiny vocabulary holds
PAIR_GOLDEN: dict[str, Any] = {
    "L2_LANGUAGES": ["ja", "it"],
    "N_PAIRS": 16,
    "N_PAIRS_DISJOINT": 12,
    "N_PAIRS_CROSS_CORPUS": 12,
    "OTHER_CORPUS": "generated",
}

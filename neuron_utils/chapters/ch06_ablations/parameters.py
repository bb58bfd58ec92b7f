"""Chapter 6's parameters: the pairs that choose the neurons, the sets, then the minimal pairs
they are tested on (defaults: the ``quick`` profile)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

from ... import data
from ...data import generator
from ...kit.pairs import check_parallel_pairs
from ...kit.parameters import ChapterParameters, check_int, param


@dataclass(frozen=True)
class Parameters(ChapterParameters):
    """Chapter 6's parameters (defaults: the ``quick`` profile): the pairs that choose the neurons,
    the sets, then the minimal pairs they are tested on."""

    # the pairs that choose the neurons: bundled | tatoeba | flores | own table
    # (.tsv/.csv/.jsonl/.parquet or hf:<id>, one column per language)
    DATA_SOURCE: str = "bundled"
    # an own table's columns where they are not named by language code: {"ja": "japanese"}
    DATA_COLUMNS: dict[str, str] = field(default_factory=dict)
    L1: str = "en"
    L2: str = "ja"
    N_PAIRS: int = 100  # parallel pairs (and as many non-parallel)
    # non-parallel pairs from other sentences of the same source
    DESIGN: str = param("disjoint", choices=data.DESIGNS)
    # the "same" and "different meaning" sets chosen again under this design (none: not at all);
    # cross-corpus: non-parallel L1 sentences from OTHER_CORPUS, as the authors' released code
    SECOND_DESIGN: str = param("cross-corpus", choices=("none", *data.DESIGNS))
    N_PAIRS_SECOND: int = 100  # pairs per class of the second design
    # formal | generated | flores: for the cross-corpus design (checked only where it is used)
    OTHER_CORPUS: str = "formal"
    # act(gate(x)) * up(x), as the authors' code; or the gate's activation
    NEURON_SITE: str = param("neurons", choices=("neurons", "gate"))
    # "active": |activation| > EPSILON (the authors' code)
    EPSILON: float = param(0.01, low=0.0, high=1e3)
    # the paper's 10,000 of LLaMA-3-8B's 458,752 neurons; at most a fifth: random matched sets
    # are drawn outside the union of the sets
    ABLATE_FRACTION: float = param(0.0218, low=0.0, high=0.2, low_open=True)
    DOSE_FRACTIONS: list[float] = param([0.005, 0.05], low=1e-6, high=0.2)
    N_RANDOM_SEEDS: int = param(2, low=1)  # random sets matched to each set's layers
    # the benchmarks: generated, blimp, jblimp, or own tables with good, bad, paradigm and
    # language (en / ja) columns
    PAIR_SOURCES: list[str] = field(default_factory=lambda: ["generated"])
    PAIR_COLUMNS: dict[str, str] = field(default_factory=dict)  # as DATA_COLUMNS, for pairs
    # 6 x 19 paradigms x 72 conditions: about 2 minutes on 2 cores
    N_PAIRS_PER_PARADIGM: int = param(6, low=2, high=generator.MAX_PAIRS)
    # the authors averaged over every JBLiMP phenomenon, however small (at most
    # N_PAIRS_PER_PARADIGM: check)
    MIN_PAIRS: int = 1
    N_BOOTSTRAP: int = param(2000, low=100)
    BATCH_SIZE: int = param(64, low=1)

    PAPER: ClassVar[dict[str, Any]] = {
        "DATA_SOURCE": "tatoeba",
        "N_PAIRS": 2000,
        "N_PAIRS_SECOND": 1000,  # FLORES-200 devtest has 1,012 English sentences
        "N_RANDOM_SEEDS": 3,
        "OTHER_CORPUS": "flores",
        "PAIR_SOURCES": ["blimp", "jblimp"],
        "N_PAIRS_PER_PARADIGM": 1000,
    }
    # BLiMP at 1,000 pairs per paradigm takes ~15 min per condition on 2 cores (x ~30 conditions)
    PAPER_LITE: ClassVar[dict[str, Any]] = {"N_PAIRS_PER_PARADIGM": 30}

    def check(self) -> None:
        if self.L2 == self.L1:
            raise ValueError(f"L2={self.L2!r} must differ from L1={self.L1!r}")
        if self.SECOND_DESIGN == self.DESIGN:
            raise ValueError(
                f"SECOND_DESIGN={self.SECOND_DESIGN!r} must differ from DESIGN (or be 'none')"
            )
        check_int("MIN_PAIRS", self.MIN_PAIRS, 1, self.N_PAIRS_PER_PARADIGM)

    def check_data(self) -> None:
        sizes = {"N_PAIRS": (self.N_PAIRS, self.DESIGN)}
        if self.SECOND_DESIGN != "none":
            sizes["N_PAIRS_SECOND"] = (self.N_PAIRS_SECOND, self.SECOND_DESIGN)
        check_parallel_pairs(
            self.DATA_SOURCE, self.L1, [self.L2], sizes, self.OTHER_CORPUS, self.DATA_COLUMNS
        )
        data.check_pair_sources("PAIR_SOURCES", self.PAIR_SOURCES, self.PAIR_COLUMNS)
        for source in filter(data.own.is_own, self.PAIR_SOURCES):
            self._check_own_pairs(source)

    def _check_own_pairs(self, source: str) -> None:
        """One benchmark per language: an own table's every row must say its language, and
        some paradigm must reach MIN_PAIRS (now, not after the model has loaded)."""
        rows = data.own.pair_rows(source, self.PAIR_COLUMNS)
        sizes = data.own_paradigm_sizes([source], self.PAIR_COLUMNS)
        if max(sizes.values()) < self.MIN_PAIRS:
            raise ValueError(
                f"MIN_PAIRS={self.MIN_PAIRS}: no paradigm of {data.own.parse(source).name} "
                f"has that many pairs (the largest has {max(sizes.values())})"
            )
        missing = sum(not lang for lang in rows.language)
        if missing:
            raise ValueError(
                f"PAIR_SOURCES: {data.own.parse(source).name} has {missing} pair(s) with no "
                "language: chapter 6 scores one benchmark per language, so every row needs "
                "a language code (a `language` column, or another column mapped to it with "
                "PAIR_COLUMNS)"
            )

    @property
    def uses_other_corpus(self) -> bool:
        return "cross-corpus" in (self.DESIGN, self.SECOND_DESIGN)

    def data_files(self) -> list[tuple[str, str]]:
        other = data.other_files(self.OTHER_CORPUS, self.L1) if self.uses_other_corpus else []
        return (
            data.source_files(self.DATA_SOURCE, [self.L1, self.L2])
            + other
            + data.pair_files(self.PAIR_SOURCES)
        )

    def describe_data(self) -> list[dict[str, Any]]:
        other = data.describe_other(self.OTHER_CORPUS, self.L1) if self.uses_other_corpus else []
        return (
            data.describe_source(self.DATA_SOURCE, [self.L1, self.L2], self.DATA_COLUMNS)
            + other
            + data.describe_pairs(self.PAIR_SOURCES, self.PAIR_COLUMNS)
        )

    @property
    def fractions(self) -> list[float]:
        """Every fraction zeroed, increasing: the dose fractions and the main one."""
        return sorted({*self.DOSE_FRACTIONS, self.ABLATE_FRACTION})

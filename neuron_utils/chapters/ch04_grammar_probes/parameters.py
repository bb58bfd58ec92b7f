"""Chapter 4's parameters: the pairs, the probes' sizes and sweeps, each with its limits."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

from ... import data
from ...data import generator
from ...kit.parameters import ChapterParameters, check_choice, check_layer, check_subset, param


@dataclass(frozen=True)
class Parameters(ChapterParameters):
    """Chapter 4's parameters (defaults: the ``quick`` profile)."""

    # any of: generated, blimp, jblimp, or own tables (.tsv/.csv/.jsonl/.parquet or hf:<id>)
    # with good, bad and paradigm columns (an own table is allowed: checked in check_data)
    PAIR_SOURCES: list[str] = field(default_factory=lambda: ["generated"])
    # an own table's columns where they are not named good/bad/paradigm: {"good": "sentence_good"}
    PAIR_COLUMNS: dict[str, str] = field(default_factory=dict)
    PARADIGMS: list[str] | None = None  # None: every paradigm of PAIR_SOURCES; or a list of names
    N_PAIRS_PER_PARADIGM: int = param(70, low=10, high=generator.MAX_PAIRS)
    # paradigms with fewer pairs are left out (JBLiMP's smallest phenomena)
    MIN_PAIRS: int = param(20, low=4)
    # share of each paradigm's pairs held out (split by pair)
    TEST_FRACTION: float = param(0.2, low=0.05, high=0.5)
    # 1.0: the dense reference
    LAMBDAS: list[float] = param([0.05, 0.1, 0.2, 0.5, 1.0], low=0.0, high=1.0)
    L0_STEPS: int = param(400, low=1)
    # fraction of the hidden dimensions: the paper's top 1 % (40 of 4,096)
    TOP_DIM_FRACTION: float = param(0.01, low=0.0, high=0.5, low_open=True)
    # steps of 1 up to 8, where the paper's crossing (about 6) and this model's lie, then of 2
    # up to 16: the multiple that matches is interpolated between neighbours
    RANDOM_MULTIPLES: list[int] = param([1, 2, 3, 4, 5, 6, 7, 8, 10, 12, 14, 16], low=1, high=1000)
    N_RANDOM_SEEDS: int = param(3, low=1)  # the multiple's interval is its range over these draws
    GEN_LAYER: int = 9  # layer of the generalisation matrix (the paper: 16 of 32)
    GEN_LAMBDA: float = 0.2  # lambda of the sparse probe there (the paper: 0.2)
    BATCH_SIZE: int = param(64, low=1)

    # BLiMP (67 paradigms x 1,000 pairs) and JBLiMP (phenomena with >= 20 pairs)
    PAPER: ClassVar[dict[str, Any]] = {
        "PAIR_SOURCES": ["blimp", "jblimp"],
        "N_PAIRS_PER_PARADIGM": 1000,
        "N_RANDOM_SEEDS": 5,
    }
    # 1,000 pairs per paradigm are about 134,000 BLiMP sentences (scored with the LM head and
    # read at every layer): hours on 2 cores. 200 per paradigm run in about twenty minutes.
    PAPER_LITE: ClassVar[dict[str, Any]] = {"N_PAIRS_PER_PARADIGM": 200}

    def check_data(self) -> None:
        data.check_pair_sources("PAIR_SOURCES", self.PAIR_SOURCES, self.PAIR_COLUMNS)
        if self.PARADIGMS is not None:
            check_subset("PARADIGMS", self.PARADIGMS, self.available_paradigms())
        # an own table's paradigms are counted now, not after the model has loaded
        sizes = data.own_paradigm_sizes(self.PAIR_SOURCES, self.PAIR_COLUMNS)
        requested = self.requested_paradigms()
        small = {name: n for name, n in sizes.items() if name in requested and n < self.MIN_PAIRS}
        kept = [name for name in requested if name not in small]
        if small and len(kept) < 2:
            listed = ", ".join(f"{name} ({n})" for name, n in small.items())
            raise ValueError(
                f"MIN_PAIRS={self.MIN_PAIRS}: the generalisation matrix needs at least two "
                f"paradigms with at least {self.MIN_PAIRS} pairs, and these have fewer: {listed} "
                "(lower MIN_PAIRS or add pairs)"
            )

    def check(self) -> None:
        """What the limits beside the fields cannot say: sizes against each other, the sweep's
        shape, the layer against the model and GEN_LAMBDA against LAMBDAS."""
        if not any(data.is_own(source) for source in self.PAIR_SOURCES):
            self.check_data()  # built-in sources: their paradigms are known without the data
        if self.PARADIGMS is not None and len(self.PARADIGMS) < 2:
            raise ValueError("PARADIGMS: the generalisation matrix needs at least two paradigms")
        if self.MIN_PAIRS > self.N_PAIRS_PER_PARADIGM:
            raise ValueError(
                f"MIN_PAIRS={self.MIN_PAIRS} is more than "
                f"N_PAIRS_PER_PARADIGM={self.N_PAIRS_PER_PARADIGM}: every paradigm would be left out"
            )
        if 1.0 not in self.LAMBDAS:
            raise ValueError(
                f"LAMBDAS={self.LAMBDAS!r} must include 1.0 (the dense reference of the L0 probes)"
            )
        if min(self.LAMBDAS) >= 1.0:
            raise ValueError(
                f"LAMBDAS={self.LAMBDAS!r} needs a value below 1.0: the sweep asks how few "
                "dimensions sparse probes need"
            )
        if self.RANDOM_MULTIPLES != sorted(self.RANDOM_MULTIPLES):
            raise ValueError(f"RANDOM_MULTIPLES={self.RANDOM_MULTIPLES!r} must be increasing")
        check_layer("GEN_LAYER", self.GEN_LAYER, self.MODEL)
        check_choice("GEN_LAMBDA (one of LAMBDAS)", self.GEN_LAMBDA, self.LAMBDAS)

    def available_paradigms(self) -> list[str]:
        """Every paradigm of ``PAIR_SOURCES``."""
        return [
            name
            for source in self.PAIR_SOURCES
            for name in data.available_paradigms(source, self.PAIR_COLUMNS)
        ]

    def requested_paradigms(self) -> list[str]:
        """The paradigms this run asks for (``PARADIGMS``; None: every one of the sources),
        before those with fewer than ``MIN_PAIRS`` pairs are left out."""
        return self.PARADIGMS or self.available_paradigms()

    def data_files(self) -> list[tuple[str, str]]:
        return data.pair_files(self.PAIR_SOURCES, self.PARADIGMS)

    def describe_data(self) -> list[dict[str, Any]]:
        return data.describe_pairs(self.PAIR_SOURCES, self.PAIR_COLUMNS)

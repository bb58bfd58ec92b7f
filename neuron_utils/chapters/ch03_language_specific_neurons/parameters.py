"""Chapter 3's parameters (defaults: the ``quick`` profile), each with its limits beside it;
the limits that depend on the data or on another parameter are checked in ``check`` and
``check_data``."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

from ... import data
from ...kit.pairs import check_source
from ...kit.parameters import (
    ChapterParameters,
    check_choice,
    check_int,
    check_layer,
    check_subset,
    param,
)
from ...methods import langid

DATA_SOURCES = ("bundled", "flores")  # multi-parallel: every language has the same sentences
# gate: act(gate(x)) > 0, as LAPE's code; neurons: act(gate(x)) * up(x) > 0
NEURON_SITES = ("gate", "neurons")
# a LAPE threshold is a rate or a quantile: above 0, at most 1
THRESHOLD = dict(low=0.0, high=1.0, low_open=True)
# a steering scale: a multiple of a mean activation or of a difference of means
SCALE = dict(low=0.0, high=1000.0)


@dataclass(frozen=True)
class Parameters(ChapterParameters):
    """Chapter 3's parameters (defaults: the ``quick`` profile)."""

    DATA_SOURCE: str = "bundled"  # bundled | flores | own .tsv/.csv/.jsonl/.parquet | hf:<id>
    # an own table's columns where they are not named by language code: {"ja": "japanese"}
    DATA_COLUMNS: dict[str, str] = field(default_factory=dict)
    LANGUAGES: list[str] = field(
        default_factory=lambda: ["en", "ja", "nl", "ko", "it", "zh", "fr", "es"]
    )
    # sentences per language for activation probabilities
    N_STATS_SENTENCES: int = param(150, low=1)
    N_EVAL_SENTENCES: int = param(12, low=1)  # held-out sentences per language for perplexity
    SITE: str = param("gate", choices=NEURON_SITES)
    TOP_RATE: float = param(0.01, **THRESHOLD)
    FILTER: float = param(0.95, **THRESHOLD)
    ACTIVATION_BAR: float = param(0.95, **THRESHOLD)
    STEER_SOURCE: str = "en"  # language of the prompts
    STEER_TARGETS: list[str] = field(default_factory=lambda: ["fr", "ja", "ko"])
    STEER_SCALE: float = 4.0  # multiple of the target language's mean activation
    # the sweep of both methods: LAPE, x the mean activation (must include STEER_SCALE);
    # DiffMean, x the difference of the two languages' mean residual streams
    STEER_SCALES: list[float] = param([1.0, 2.0, 4.0, 8.0], **SCALE)
    DIFFMEAN_LAYER: int = 12  # residual stream after this layer (two thirds of the depth)
    DIFFMEAN_SCALES: list[float] = param([0.5, 1.0, 2.0, 4.0, 8.0], **SCALE)
    # a continuation is fluent when its perplexity (alone, unsteered model) is at most this
    # multiple of the held-out perplexity of its language, and it repeats few token 3-grams
    FLUENT_PERPLEXITY_RATIO: float = param(3.0, low=1.0, high=1000.0)
    FLUENT_REPETITION: float = param(0.2, low=0.0, high=1.0)
    N_PROMPTS: int = 8  # held-out sentences of STEER_SOURCE: 2 .. N_EVAL_SENTENCES
    MAX_NEW_TOKENS: int = param(20, low=1)

    # LAPE paper languages on FLORES-200 devtest (1012 sentences each)
    PAPER: ClassVar[dict[str, Any]] = {
        "DATA_SOURCE": "flores",
        "LANGUAGES": ["en", "zh", "fr", "es", "vi", "id", "ja"],
        "N_STATS_SENTENCES": 900,
        "N_EVAL_SENTENCES": 100,
        "STEER_TARGETS": ["zh", "fr", "ja"],
        "N_PROMPTS": 24,  # 72 steered continuations per method and scale
    }

    def check_data(self) -> None:
        check_source("DATA_SOURCE", self.DATA_SOURCE, self.DATA_COLUMNS, DATA_SOURCES)
        check_subset(
            f"LANGUAGES (of the {self.DATA_SOURCE} data)",
            self.LANGUAGES,
            data.available_languages(self.DATA_SOURCE, self.DATA_COLUMNS),
            minimum=2,
        )
        available = min(
            len(data.texts(self.DATA_SOURCE, lang, self.DATA_COLUMNS)) for lang in self.LANGUAGES
        )
        needed = self.N_STATS_SENTENCES + self.N_EVAL_SENTENCES
        if needed > available:
            raise ValueError(
                f"N_STATS_SENTENCES + N_EVAL_SENTENCES = {needed} is more than the "
                f"{self.DATA_SOURCE} data has per language ({available})"
            )

    def check(self) -> None:
        name = f"LANGUAGES (of the {self.DATA_SOURCE} data)"
        if data.is_own(self.DATA_SOURCE):  # its languages are known once it is read
            check_subset(name, self.LANGUAGES, self.LANGUAGES, minimum=2)
        else:  # a built-in source's languages are known without reading it
            check_source("DATA_SOURCE", self.DATA_SOURCE, self.DATA_COLUMNS, DATA_SOURCES)
            check_subset(name, self.LANGUAGES, data.available_languages(self.DATA_SOURCE), 2)
        check_choice("STEER_SOURCE (one of LANGUAGES)", self.STEER_SOURCE, self.LANGUAGES)
        check_subset("STEER_TARGETS (of LANGUAGES)", self.STEER_TARGETS, self.LANGUAGES)
        check_subset(
            "STEER_SOURCE and STEER_TARGETS (languages py3langid identifies)",
            [self.STEER_SOURCE, *self.STEER_TARGETS],
            langid.known_languages(),
        )
        # its own message (a scale of the sweep, which allows 0, must also be positive here)
        if not self.STEER_SCALE > 0:
            raise ValueError(f"STEER_SCALE={self.STEER_SCALE!r} must be a positive number")
        if self.STEER_SCALE not in self.STEER_SCALES:
            raise ValueError(
                f"STEER_SCALE={self.STEER_SCALE!r} must be one of "
                f"STEER_SCALES={self.STEER_SCALES!r} (its continuations are the examples of the "
                "sweep)"
            )
        check_layer("DIFFMEAN_LAYER", self.DIFFMEAN_LAYER, self.MODEL)
        # prompts are held-out sentences; the steering scale is chosen on half of the prompts
        # and scored on the other half
        check_int("N_PROMPTS", self.N_PROMPTS, 2, self.N_EVAL_SENTENCES)

    def data_files(self) -> list[tuple[str, str]]:
        return data.source_files(self.DATA_SOURCE, self.LANGUAGES)

    def describe_data(self) -> list[dict[str, Any]]:
        return data.describe_source(self.DATA_SOURCE, self.LANGUAGES, self.DATA_COLUMNS)

"""Chapter 5's parameters: their defaults (the ``quick`` profile), the paper's sizes, and their
limits, declared beside each field; what depends on the data or on another field is checked in
:meth:`Parameters.check` and :meth:`Parameters.check_data`."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

from ... import data
from ...data.tasks import ChoiceTask
from ...kit.pairs import check_source
from ...kit.parameters import (
    ChapterParameters,
    check_choice,
    check_int,
    check_subset,
    param,
)
from ...methods.sharing import CATEGORIES

SOURCES = ("bundled", "flores")  # the multi-parallel corpora (and own tables)
# the page quotes what zeroing each of them does (non-activated may be added)
QUOTED_DEACTIVATIONS = ("all-shared", "partial-shared", "specific")


@dataclass(frozen=True)
class Parameters(ChapterParameters):
    """Chapter 5's parameters (defaults: the ``quick`` profile)."""

    # multi-parallel sentences and the translation task: bundled | flores | own table
    # (.tsv/.csv/.jsonl/.parquet or hf:<id>, one column per language)
    DATA_SOURCE: str = "bundled"
    # an own table's columns where they are not named by language code: {"ja": "japanese"}
    DATA_COLUMNS: dict[str, str] = field(default_factory=dict)
    LANGUAGES: list[str] = field(default_factory=lambda: list(data.BUNDLED_LANGUAGES))
    N_SENTENCES: int = param(60, low=2)  # multi-parallel sentences whose categories are measured
    TASKS: list[str] = param(["translation"], choices=data.TASKS)  # translation | xcopa
    TARGET_LANGUAGE: str = "en"  # translation choice: candidates in this language
    XCOPA_LANGUAGES: list[str] = param(
        list(data.XCOPA_LANGUAGES), choices=data.XCOPA_LANGUAGES, min_items=2
    )
    # items per task (each in every language): 6 x 7 x 2 x 15 conditions; at least CHOICES
    N_TASK_ITEMS: int = param(6, low=2)
    CHOICES: int = param(2, low=2, high=10)  # candidates per translation item (XCOPA has 2)
    # act(gate(x)): "active" means > THRESHOLD here
    CATEGORY_SITE: str = param("gate", choices=("gate", "neurons"))
    THRESHOLD: float = param(0.0, low=-1e3, high=1e3)  # the authors' "> 0"
    THRESHOLDS: list[float] = param([0.0, 0.1, 0.2, 0.3, 0.4, 0.5], low=-1e3, high=1e3)
    # top contributors per layer (the authors: 800 of 16,384; 100 of 2,048)
    TOP_K: int = param(100, low=1)
    DEACTIVATE: list[str] = param(list(QUOTED_DEACTIVATIONS), choices=CATEGORIES, min_items=0)
    BOOST_FACTORS: list[float] = param([1.5, 3.0], low=0.0, high=100.0)
    # random sets matched per item and layer, for each deactivation
    N_RANDOM_SEEDS: int = param(2, low=1)
    N_BOOST_RANDOM_SEEDS: int = param(1, low=1)  # ... and for each boosting factor
    N_BOOTSTRAP: int = param(2000, low=100)

    PAPER: ClassVar[dict[str, Any]] = {
        "DATA_SOURCE": "flores",
        "LANGUAGES": ["en", "ja", "zh", "ko", "fr", "es", "de", "it", "ru", "ar", "vi", "id"],
        "N_SENTENCES": 500,
        "N_RANDOM_SEEDS": 3,
        "TASKS": ["xcopa", "translation"],
        "N_TASK_ITEMS": 500,
        "CHOICES": 4,
        "BOOST_FACTORS": [1.25, 1.5, 2.0, 3.0],
        "N_BOOST_RANDOM_SEEDS": 3,
    }
    # 500 items x 11 languages x (2 to 4) choices is ~30 min per condition on 2 cores, x 29
    PAPER_LITE: ClassVar[dict[str, Any]] = {
        "N_SENTENCES": 300,
        "N_TASK_ITEMS": 40,
        "CHOICES": 2,
        "N_BOOST_RANDOM_SEEDS": 1,
    }

    def check_data(self) -> None:
        check_source("DATA_SOURCE", self.DATA_SOURCE, self.DATA_COLUMNS, SOURCES)
        allowed = data.available_languages(self.DATA_SOURCE, self.DATA_COLUMNS)
        check_subset(f"LANGUAGES (of the {self.DATA_SOURCE} data)", self.LANGUAGES, allowed, 2)
        n_texts = len(data.texts(self.DATA_SOURCE, self.LANGUAGES[0], self.DATA_COLUMNS))
        check_int("N_SENTENCES", self.N_SENTENCES, 2, n_texts)
        most = min(n_texts, data.tasks.XCOPA_ITEMS if "xcopa" in self.TASKS else n_texts)
        check_int("N_TASK_ITEMS", self.N_TASK_ITEMS, self.CHOICES, most)

    def check(self) -> None:
        name = f"LANGUAGES (of the {self.DATA_SOURCE} data)"
        if data.is_own(self.DATA_SOURCE):  # its languages are known once it is read
            check_subset(name, self.LANGUAGES, self.LANGUAGES, minimum=2)
        else:  # a built-in source's languages are known without reading it
            check_source("DATA_SOURCE", self.DATA_SOURCE, self.DATA_COLUMNS, SOURCES)
            check_subset(name, self.LANGUAGES, data.available_languages(self.DATA_SOURCE), 2)
        if "translation" not in self.TASKS:  # the page's tables, figures and prose are its
            raise ValueError(
                f"TASKS={self.TASKS!r} must include 'translation': the chapter's tables, figures "
                "and sentences are written around it (xcopa is measured beside it)"
            )
        check_choice("TARGET_LANGUAGE", self.TARGET_LANGUAGE, self.LANGUAGES)
        if len(self.LANGUAGES) < 3:
            raise ValueError(
                "the translation task needs at least 2 LANGUAGES besides TARGET_LANGUAGE"
            )
        check_int("N_TASK_ITEMS", self.N_TASK_ITEMS, self.CHOICES)  # an item holds its choices
        quoted = [c for c in QUOTED_DEACTIVATIONS if c not in self.DEACTIVATE]
        if quoted:
            raise ValueError(
                f"DEACTIVATE={self.DEACTIVATE!r} must include {', '.join(map(repr, quoted))}: the "
                "chapter compares zeroing each of the three (non-activated may be added)"
            )

    def data_files(self) -> list[tuple[str, str]]:
        files = data.source_files(self.DATA_SOURCE, self.LANGUAGES)
        if "xcopa" in self.TASKS:
            files += data.tasks.task_files("xcopa", self.XCOPA_LANGUAGES)
        return files

    def describe_data(self) -> list[dict[str, Any]]:
        out = data.describe_source(self.DATA_SOURCE, self.LANGUAGES, self.DATA_COLUMNS)
        if "xcopa" in self.TASKS:
            out += data.tasks.describe_task("xcopa", self.XCOPA_LANGUAGES)
        return out

    def task(self, name: str) -> ChoiceTask:
        if name == "xcopa":
            return data.xcopa_task(self.XCOPA_LANGUAGES, self.N_TASK_ITEMS, self.SEED)
        inputs = [lang for lang in self.LANGUAGES if lang != self.TARGET_LANGUAGE]
        return data.translation_task(
            self.DATA_SOURCE,
            inputs,
            self.TARGET_LANGUAGE,
            self.N_TASK_ITEMS,
            self.CHOICES,
            self.SEED,
            self.DATA_COLUMNS,
        )

"""A reader's own data through Hugging Face ``datasets``: parallel text and minimal pairs from a
local file (``.jsonl``, ``.csv``, ``.tsv``, ``.parquet``) or a dataset ``hf:<id>[@rev][:<config>][:<split>]``.

Parallel text is a table whose columns are language codes (``en``, ``ja``, ...): each row is one
sentence in every language. Minimal pairs are a table with ``good``, ``bad`` and ``paradigm``
columns (``language`` and ``group`` are optional). Where a table names its columns otherwise, a
mapping renames them (``DATA_COLUMNS={"ja": "japanese"}``, ``PAIR_COLUMNS={"good": "sentence_good"}``).

Every table is checked when it is first read, before any model loads: the file exists, the
columns are there, no sentence asked for is empty or appears twice. Each failure is a
:class:`~neuron_utils.data.downloads.DataError` of one line that names the file (by its name,
never its folder) and the row or column.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..core.paths import cache_dir
from ..core.storage import sha256_file
from . import quality
from .downloads import DataError

# the datasets builder of each file kind (a .tsv is read by the csv builder with a tab delimiter)
BUILDERS = {".jsonl": "json", ".json": "json", ".csv": "csv", ".tsv": "csv", ".parquet": "parquet"}
HUB_PREFIX = "hf:"
PAIR_FIELDS = ("good", "bad", "paradigm")  # required columns of a minimal-pair table
OPTIONAL_PAIR_FIELDS = ("language", "group")
# a column that names a language: "en", "ja", "zho", "pt-BR", "zh_Hant"
LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}([_-][A-Za-z]{2,4})?$")
BUILT_IN_ALTERNATIVES = (
    "offline, use a local file instead (.jsonl, .csv, .tsv or .parquet; see the re-run guide)"
)
WORKDIR = "NEURON_UTILS_WORKDIR"  # where relative paths are read from (set for the kernel)


def is_own(source: str) -> bool:
    """True for a reader's own data: ``hf:...`` or a file name with a supported suffix."""
    return source.startswith(HUB_PREFIX) or Path(source).suffix.lower() in BUILDERS


@dataclass(frozen=True)
class OwnSource:
    """Where an own table comes from: a local file, or a dataset on the Hugging Face hub."""

    spec: str  # as the reader wrote it
    path: Path | None = None  # a local file
    dataset: str = ""  # a hub id
    revision: str | None = None
    config: str | None = None
    split: str = "train"

    @property
    def name(self) -> str:
        """A short name for messages and paradigm labels (a file's name, never its folder)."""
        return self.path.name if self.path is not None else self.dataset

    @property
    def stem(self) -> str:
        return self.path.stem if self.path is not None else self.dataset.rsplit("/", 1)[-1]


def parse(spec: str) -> OwnSource:
    """``hf:org/name[@revision][:config][:split]`` or a file path (relative paths are read from
    the folder the command ran in)."""
    if spec.startswith(HUB_PREFIX):
        parts = spec[len(HUB_PREFIX) :].split(":")
        if not parts[0] or len(parts) > 3 or not all(parts):
            raise DataError(
                f"{spec!r} is not a dataset name: write hf:<dataset id>[@<revision>][:<config>][:<split>]"
            )
        dataset, _, revision = parts[0].partition("@")
        config = parts[1] if len(parts) > 1 else None
        split = parts[2] if len(parts) > 2 else "train"
        return OwnSource(
            spec, dataset=dataset, revision=revision or None, config=config, split=split
        )
    suffix = Path(spec).suffix.lower()
    if suffix not in BUILDERS:
        raise DataError(
            f"{spec!r}: own data must be a .jsonl, .csv, .tsv or .parquet file, or hf:<dataset id>"
        )
    path = Path(spec).expanduser()
    if not path.is_absolute():
        path = Path(os.environ.get(WORKDIR) or os.getcwd()) / path
    return OwnSource(spec, path=path)


@lru_cache(maxsize=16)
def _load(source: OwnSource, state: tuple) -> Any:
    """The table as a ``datasets.Dataset`` (``state``: the file's size and mtime, so that an
    edited file is read again)."""
    import datasets

    datasets.disable_progress_bars()  # they would land in an executed chapter's output
    datasets.logging.set_verbosity_error()
    cache = str(cache_dir() / "datasets")
    if source.path is not None:
        builder = BUILDERS[source.path.suffix.lower()]
        options: dict[str, Any] = {}
        if source.path.suffix.lower() in (".csv", ".tsv"):
            # sentences stay text: every column a string (no number guessing), no NA guessing
            # ("NA", "null" are words), no quote handling in TSV
            delimiter = "\t" if source.path.suffix.lower() == ".tsv" else ","
            header = _header(source.path, delimiter)
            options = {
                "delimiter": delimiter,
                "keep_default_na": False,
                "features": datasets.Features({name: datasets.Value("string") for name in header}),
            }
            if delimiter == "\t":
                options["quoting"] = 3  # csv.QUOTE_NONE
        try:
            return datasets.load_dataset(
                builder, data_files=str(source.path), split="train", cache_dir=cache, **options
            )
        except Exception as err:  # a malformed file: say which, in one line
            raise DataError(
                f"{source.name} could not be read as {builder}: {_first_line(err)}"
            ) from None
    try:
        return datasets.load_dataset(
            source.dataset,
            source.config,
            split=source.split,
            revision=source.revision,
            cache_dir=cache,
        )
    except Exception as err:
        raise DataError(
            f"the Hugging Face dataset {source.spec[len(HUB_PREFIX) :]} could not be loaded "
            f"({type(err).__name__}: {_first_line(err)}); hub datasets need the network: "
            f"{BUILT_IN_ALTERNATIVES}, or a built-in source"
        ) from None


def _header(path: Path, delimiter: str) -> list[str]:
    """The column names on the first line of a CSV or TSV file."""
    import csv

    with path.open(encoding="utf-8", newline="") as f:
        return next(csv.reader(f, delimiter=delimiter), [])


def _first_line(err: BaseException) -> str:
    from ..core.progress import first_line

    return first_line(str(err)) or type(err).__name__


def load(spec: str) -> Any:
    """The own table ``spec`` (a ``datasets.Dataset``), read once per process and file state."""
    source = parse(spec)
    if source.path is not None:
        if not source.path.is_file():
            raise DataError(f"own data file {spec!r} does not exist")
        stat = source.path.stat()
        return _load(source, (stat.st_size, stat.st_mtime_ns))
    return _load(source, ())


def _mapped(table: Any, spec: str, columns: Mapping[str, str], what: str) -> dict[str, str]:
    """Each mapped name -> its column, checked against the table."""
    for name, column in columns.items():
        if column not in table.column_names:
            raise DataError(
                f"{what} maps {name!r} to {column!r}, which is not a column of {parse(spec).name}; "
                f"its columns: {', '.join(table.column_names)}"
            )
    return dict(columns)


# --------------------------------------------------------------------------- parallel text


def languages(spec: str, columns: Mapping[str, str] | None = None) -> dict[str, str]:
    """The languages of a parallel table: code -> column (columns named like language codes,
    and those that ``columns`` maps)."""
    table = load(spec)
    mapped = _mapped(table, spec, columns or {}, "DATA_COLUMNS")
    named = {
        c: c for c in table.column_names if LANGUAGE_CODE.match(c) and c not in mapped.values()
    }
    out = named | mapped
    if not out:
        raise DataError(
            f"{parse(spec).name} has no language columns (columns named like en, ja, ko); its "
            f"columns: {', '.join(table.column_names)}; map them with DATA_COLUMNS"
        )
    return out


def texts(spec: str, lang: str, columns: Mapping[str, str] | None = None) -> list[str]:
    """All sentences of one language, checked: none empty, none repeated."""
    by_lang = languages(spec, columns)
    if lang not in by_lang:
        raise DataError(
            f"language {lang!r} is not in {parse(spec).name}; its languages: {', '.join(by_lang)}"
            + ("" if columns else " (DATA_COLUMNS maps other column names to codes)")
        )
    return list(_checked_column(spec, by_lang[lang], lang))


def _checked_column(spec: str, column: str, lang: str) -> tuple[str, ...]:
    values = load(spec)[column]
    name = parse(spec).name
    seen: dict[str, int] = {}
    out = []
    for row, value in enumerate(values, start=1):
        text = "" if value is None else str(value).strip()
        if not text:
            raise DataError(f"{name}: row {row} has an empty {lang} sentence (column {column!r})")
        if text in seen:
            raise DataError(
                f"{name}: the {lang} sentence of row {row} repeats row {seen[text]} "
                f"(column {column!r}): {_short(text)}"
            )
        seen[text] = row
        out.append(text)
    return tuple(out)


def _short(text: str, width: int = 60) -> str:
    return repr(text if len(text) <= width else text[: width - 3] + "...")


# --------------------------------------------------------------------------- minimal pairs


@dataclass(frozen=True)
class PairRows:
    """The rows of an own minimal-pair table, checked."""

    good: tuple[str, ...]
    bad: tuple[str, ...]
    paradigm: tuple[str, ...]  # "<file stem>/<paradigm>"
    language: tuple[str, ...]  # "" where the table has no language column
    group: tuple[str, ...]


def pair_rows(spec: str, columns: Mapping[str, str] | None = None) -> PairRows:
    """A minimal-pair table's rows: every pair has a good and a bad sentence that differ, and no
    pair appears twice."""
    table = load(spec)
    name, stem = parse(spec).name, parse(spec).stem
    mapped = _mapped(table, spec, columns or {}, "PAIR_COLUMNS")
    unknown = sorted(set(mapped) - set(PAIR_FIELDS) - set(OPTIONAL_PAIR_FIELDS))
    if unknown:
        raise DataError(
            f"PAIR_COLUMNS names {', '.join(unknown)}; it maps only "
            f"{', '.join(PAIR_FIELDS + OPTIONAL_PAIR_FIELDS)} to columns"
        )
    where = {f: mapped.get(f, f) for f in PAIR_FIELDS + OPTIONAL_PAIR_FIELDS}
    missing = [f for f in PAIR_FIELDS if where[f] not in table.column_names]
    if missing:
        raise DataError(
            f"{name} lacks the column(s) {', '.join(repr(where[f]) for f in missing)} of a "
            f"minimal-pair table (good, bad, paradigm); its columns: {', '.join(table.column_names)}"
        )
    read = {
        f: [("" if v is None else str(v).strip()) for v in table[where[f]]]
        if where[f] in table.column_names
        else [""] * len(table)
        for f in where
    }
    seen: dict[tuple[str, str], int] = {}
    for row, (good, bad, paradigm) in enumerate(
        zip(read["good"], read["bad"], read["paradigm"]), start=1
    ):
        for field, value in (("good", good), ("bad", bad), ("paradigm", paradigm)):
            if not value:
                raise DataError(f"{name}: row {row} has an empty {field} (column {where[field]!r})")
        if good == bad:
            raise DataError(f"{name}: row {row} has the same good and bad sentence: {_short(good)}")
        if (good, bad) in seen:
            raise DataError(
                f"{name}: the pair of row {row} repeats row {seen[good, bad]}: {_short(good)}"
            )
        seen[good, bad] = row
    paradigm = tuple(f"{stem}/{p}" for p in read["paradigm"])
    return PairRows(
        good=tuple(read["good"]),
        bad=tuple(read["bad"]),
        paradigm=paradigm,
        language=tuple(read["language"]),
        group=tuple(g or p for g, p in zip(read["group"], read["paradigm"])),
    )


def pair_languages(spec: str, columns: Mapping[str, str] | None = None) -> set[str]:
    """The languages of an own minimal-pair table (empty without a language column)."""
    return {lang for lang in pair_rows(spec, columns).language if lang}


# --------------------------------------------------------------------------- provenance


def describe(
    spec: str, rows: Sequence[str] | None = None, languages: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """The provenance entry of an own table: a file's name and sha256, or a dataset's id,
    config, split, revision and fingerprint; ``rows``: the columns a chapter reads (default
    all); ``languages`` (code -> column of a parallel table): the share of each of these
    columns' sentences identified as another language (``language_shares``)."""
    source = parse(spec)
    table = load(spec)
    if source.path is not None:
        entry = {
            "dataset": f"own file {source.name} (read with datasets' {BUILDERS[source.path.suffix.lower()]} builder)",
            "upstream": "a local file",
            "license": "as its owner states",
            "files": {source.name: sha256_file(source.path)},
        }
    else:
        entry = {
            "dataset": f"Hugging Face dataset {source.dataset}",
            "upstream": f"https://huggingface.co/datasets/{source.dataset}",
            "license": "see its dataset card",
            "config": source.config or "default",
            "split": source.split,
            "revision": source.revision or _resolved_revision(source.dataset),
            "fingerprint": table._fingerprint,
        }
    entry["rows"] = len(table)
    entry["columns"] = ", ".join(table.column_names if rows is None else rows)
    if languages:
        entry[quality.FIELD] = quality.summary(language_shares(spec, languages))
    return entry


def _resolved_revision(dataset: str) -> str:
    """The commit an unpinned hub dataset resolves to now (asked of the hub, which loading it
    needed anyway), else a note that it was not pinned."""
    try:
        from huggingface_hub import HfApi

        return HfApi().dataset_info(dataset).sha or ""
    except Exception:
        return "not pinned (resolved at load time; pin it with hf:<id>@<revision>)"


def digest(spec: str) -> str:
    """What identifies an own table's content (a file's sha256, a dataset's fingerprint): a
    changed file makes the chapters that read it out of date."""
    source = parse(spec)
    if source.path is not None:
        return sha256_file(source.path) if source.path.is_file() else "missing"
    return load(spec)._fingerprint


def language_shares(spec: str, columns: Mapping[str, str]) -> list[quality.LanguageShare]:
    """The check of each language column (code -> column) of a parallel table
    (:mod:`.quality`): its sentences identified among the reference languages and the table's
    own, cached on the table's content (:func:`digest`) and column."""
    content = digest(spec)
    candidates = quality.candidates_for(languages(spec, columns))
    return [
        quality.language_share(
            lang,
            f"{content}:{column}",
            lambda lang=lang, column=column: texts(spec, lang, {lang: column}),
            candidates,
        )
        for lang, column in columns.items()
    ]

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
from ..core.storage import (
    STORAGE_ERRNOS,
    StorageError,
    atomic_path,
    sha256_file,
    storage_problem,
)
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


# the first bytes of files that are not the text or Parquet a reader meant to give
_NOT_TEXT = {
    b"PK\x03\x04": "a ZIP archive (an Excel .xlsx or .ods workbook?), not text: save it as CSV",
    b"\xd0\xcf\x11\xe0": "an old Excel .xls workbook, not text: save it as CSV",
    b"PAR1": "a Parquet file: name it .parquet",
}
_UTF16 = {b"\xff\xfe": "UTF-16 (little-endian)", b"\xfe\xff": "UTF-16 (big-endian)"}
_BOM = b"\xef\xbb\xbf"


def checked_content(path: Path) -> bytes:
    """A local table's bytes as they will be read, checked: Parquet for ``.parquet``; else UTF-8
    text (a UTF-8 byte-order mark dropped), a JSONL file one JSON object per line, a CSV/TSV
    header without repeated, blank or space-padded names. Each problem is one line naming the
    file and what was found."""
    data = path.read_bytes()
    name, suffix = path.name, path.suffix.lower()
    if suffix == ".parquet":
        if not data.startswith(b"PAR1"):
            raise DataError(f"{name} is not a Parquet file (it does not start with PAR1)")
        return data
    for magic, what in {**_NOT_TEXT, **_UTF16}.items():
        if data.startswith(magic):
            encoding = what if magic in _UTF16 else ""
            raise DataError(
                f"{name} is {encoding} text: save it as UTF-8" if encoding else f"{name} is {what}"
            )
    data = data.removeprefix(_BOM)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise DataError(
            f"{name} is not UTF-8 (byte 0x{data[err.start]:02x} on line {line}; "
            f"{_likely_encoding(data)}): save it as UTF-8"
        ) from None
    if suffix in (".jsonl", ".json"):
        _check_jsonl(name, text)
    else:
        _check_header(name, text, "\t" if suffix == ".tsv" else ",")
    return data


def _likely_encoding(data: bytes) -> str:
    """What a non-UTF-8 text file most likely is, for the message."""
    try:
        data.decode("cp1252")
        return "it reads as Windows-1252 / Latin-1"
    except UnicodeDecodeError:
        return "its encoding is not one this check knows"


def _check_jsonl(name: str, text: str) -> None:
    import json

    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except ValueError as err:
            raise DataError(f"{name} line {number}: not valid JSON ({err})") from None
        if not isinstance(row, dict):
            raise DataError(
                f"{name} line {number}: a {type(row).__name__}, not a JSON object (one row "
                'per line: {"en": ..., "ja": ...})'
            )


def _check_header(name: str, text: str, delimiter: str) -> None:
    import csv

    header = next(csv.reader(text.splitlines()[:1], delimiter=delimiter), [])
    for column in header:
        if not column.strip():
            raise DataError(f"{name}: the header has a column with no name")
        if column != column.strip():
            raise DataError(
                f"{name}: the column name {column!r} has spaces around it: write {column.strip()!r}"
            )
    repeated = sorted({c for c in header if header.count(c) > 1})
    if repeated:
        raise DataError(
            f"{name}: the header names {', '.join(map(repr, repeated))} more than once "
            "(one column each)"
        )


def content_copy(path: Path) -> tuple[Path, str]:
    """The checked content of a local table (:func:`checked_content`) as a file in the cache
    named by its sha256, and that sha256: what is read is what is recorded, however the
    original's time stamps move (``datasets`` keys its own cache on a file's path and time)."""
    data = checked_content(path)
    digest = content_digest(path)
    folder = cache_dir() / "own" / digest
    copy = folder / path.name
    if not copy.exists():
        try:
            with atomic_path(copy) as tmp:
                tmp.write_bytes(data)
        except StorageError as err:  # the cache, not the data file
            raise DataError(err.strerror) from None
    return copy, digest


def _oserror_in(err: BaseException) -> OSError | None:
    """An OSError of a folder that cannot be written in ``err``'s chain of causes, if any."""
    seen = 0
    while err is not None and seen < 20:
        if isinstance(err, OSError) and err.errno in STORAGE_ERRNOS:
            return err
        err = err.__cause__ or err.__context__
        seen += 1
    return None


_last_read: dict[OwnSource, str] = {}  # a local table -> the sha256 of the content last read


@lru_cache(maxsize=16)
def _load(source: OwnSource, digest: str) -> Any:
    """The table as a ``datasets.Dataset`` (``digest``: a local file's content sha256, so that
    a replaced file is read again whatever its time stamps)."""
    import datasets

    datasets.disable_progress_bars()  # they would land in an executed chapter's output
    # its own log line on a bad file names the cache's copy; the error below names the file
    datasets.logging.set_verbosity(datasets.logging.CRITICAL)
    cache = str(cache_dir() / "datasets")
    if source.path is not None:
        builder = BUILDERS[source.path.suffix.lower()]
        copy, _ = content_copy(source.path)
        options: dict[str, Any] = {}
        if source.path.suffix.lower() in (".csv", ".tsv"):
            # sentences stay text: every column a string (no number guessing), no NA guessing
            # ("NA", "null" are words), no quote handling in TSV
            delimiter = "\t" if source.path.suffix.lower() == ".tsv" else ","
            header = _header(copy, delimiter)
            options = {
                "delimiter": delimiter,
                "keep_default_na": False,
                "features": datasets.Features({name: datasets.Value("string") for name in header}),
            }
            if delimiter == "\t":
                options["quoting"] = 3  # csv.QUOTE_NONE
        try:
            return datasets.load_dataset(
                builder, data_files=str(copy), split="train", cache_dir=cache, **options
            )
        except Exception as err:  # a malformed file: say which, in one line
            cause = _oserror_in(err)
            if cause is not None:  # the cache, not the file
                raise DataError(storage_problem(cause, Path(cache))) from None
            # the reader's own words, about the reader's file (not the cache's copy of it)
            said = _deepest_line(err).replace(str(copy), source.name)
            raise DataError(f"{source.name} could not be read as {builder}: {said}") from err
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


def _deepest_line(err: BaseException) -> str:
    """The first line of the innermost cause of ``err`` (``datasets`` wraps the reader's own
    error in "An error occurred while generating the dataset")."""
    while err.__cause__ is not None or (
        err.__context__ is not None and not err.__suppress_context__
    ):
        err = err.__cause__ or err.__context__
    return f"{type(err).__name__}: {_first_line(err)}"


def load(spec: str) -> Any:
    """The own table ``spec`` (a ``datasets.Dataset``), read once per process and file state."""
    source = parse(spec)
    if source.path is not None:
        if not source.path.is_file():
            raise DataError(f"own data file {spec!r} does not exist")
        digest = content_digest(source.path)
        table = _load(source, digest)
        _last_read[source] = digest
        return table
    return _load(source, "")


def content_digest(path: Path) -> str:
    """The sha256 of a local table's content, which keys its reading (:func:`_load`); hashed
    again whenever the file's inode change time moves (any write, a ``cp -p`` included, which
    keeps the modification time but not that)."""
    stat = path.stat()
    return _digest(path, (stat.st_ino, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns))


@lru_cache(maxsize=64)
def _digest(path: Path, state: tuple) -> str:
    return sha256_file(path)


def _mapped(table: Any, spec: str, columns: Mapping[str, str], what: str) -> dict[str, str]:
    """Each mapped name -> its column, checked against the table (each column mapped once)."""
    shared = sorted({c for c in columns.values() if list(columns.values()).count(c) > 1})
    if shared:
        names = [n for n, c in columns.items() if c == shared[0]]
        raise DataError(
            f"{what} maps {' and '.join(map(repr, names))} to the same column {shared[0]!r} "
            f"of {parse(spec).name}: each needs a column of its own"
        )
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


def text_column(table: Any, column: str, name: str) -> list[Any]:
    """A column's values, which must be text (or missing): a number, a list or any other type
    is one line naming the file, the column, the first such row and its type."""
    import datasets

    feature = table.features[column]
    if not (isinstance(feature, datasets.Value) and feature.dtype in ("string", "large_string")):
        kind = feature.dtype if isinstance(feature, datasets.Value) else type(feature).__name__
        values = table[column]
        row = next((k for k, v in enumerate(values, start=1) if v is not None), 1)
        raise DataError(
            f"{name}: column {column!r} holds {kind} values, not text (row {row}: "
            f"{_short(str(values[row - 1]) if values else '')}); sentences must be strings"
        )
    return table[column]


def _checked_column(spec: str, column: str, lang: str) -> tuple[str, ...]:
    name = parse(spec).name
    values = text_column(load(spec), column, name)
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
        f: [("" if v is None else v.strip()) for v in text_column(table, where[f], name)]
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
            # the content that was read (the cache is keyed on it), not the file as it is now
            "files": {source.name: _read_digest(source)},
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


def _read_digest(source: OwnSource) -> str:
    """The sha256 of the content :func:`load` last read for ``source``."""
    return _last_read.get(source) or content_digest(source.path)


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
        return content_digest(source.path) if source.path.is_file() else "missing"
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

"""Minimal pairs: the BLiMP / JBLiMP loaders and the choice of source (the container,
:class:`~neuron_utils.data.pairset.MinimalPairSet`, has a module of its own).

The book's own paradigms come from :mod:`neuron_utils.data.generator`; a reader's own pairs from
a table (a file or a Hugging Face dataset with ``good``, ``bad`` and ``paradigm`` columns,
:mod:`neuron_utils.data.own`). ``columns`` maps those names to a table's own column names (``PAIR_COLUMNS``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from . import generator, own
from .downloads import dataset_provenance, fetch, manifest, read_jsonl
from .pairset import MinimalPairSet


OWN_PAIR_SOURCES = (
    "a .jsonl/.csv/.tsv/.parquet file or hf:<dataset id> with good, bad, paradigm columns"
)
# JBLiMP's phenomena at the pinned commit (its paradigms have 1-40 pairs each: too few to probe).
JBLIMP_PHENOMENA = (
    "argument structure",
    "verbal agreement",
    "morphology",
    "nominal structure",
    "ellipsis",
    "quantifiers",
    "binding",
    "island effects",
    "filler-gap",
    "NPI licensing",
    "control/raising",
)


def available_paradigms(source: str, columns: Mapping[str, str] | None = None) -> tuple[str, ...]:
    """Paradigm names of a minimal-pair source, as :func:`load_minimal_pairs` labels them."""
    if own.is_own(source):
        return tuple(dict.fromkeys(own.pair_rows(source, columns).paradigm))
    return _pair_source(source).paradigms()


def own_pairs(source: str, columns: Mapping[str, str] | None = None) -> MinimalPairSet:
    """All pairs of an own table; ids ``<paradigm>/<row>``, group from its ``group`` column
    (else the paradigm)."""
    rows = own.pair_rows(source, columns)
    return MinimalPairSet(
        rows.good,
        rows.bad,
        rows.paradigm,
        tuple(f"{p}/{i}" for i, p in enumerate(rows.paradigm, start=1)),
        rows.group,
    )


def pair_languages(source: str, columns: Mapping[str, str] | None = None) -> set[str]:
    """The languages of a minimal-pair source's sentences (an own table: its ``language``
    column, empty without one)."""
    if own.is_own(source):
        return own.pair_languages(source, columns)
    return set(_pair_source(source).languages)


def _normalise_field(field: str) -> str:
    return field.replace("syntax_semantics", "syntax/semantics")  # BLiMP spells it both ways


def blimp_pairs(paradigm: str) -> MinimalPairSet:
    """One BLiMP paradigm (``"blimp/<UID>"`` or ``"<UID>"``), minus its pairs whose good and bad
    sentences are identical (7 in all of BLiMP). ``group`` is ``"<field>: <linguistics_term>"``."""
    uid = paradigm.removeprefix("blimp/")
    path = fetch("blimp", f"{uid}.jsonl")
    rows = read_jsonl(path)
    rows = [r for r in rows if r["sentence_good"] != r["sentence_bad"]]
    return MinimalPairSet(
        tuple(r["sentence_good"] for r in rows),
        tuple(r["sentence_bad"] for r in rows),
        (f"blimp/{uid}",) * len(rows),
        tuple(f"blimp/{uid}/{r['pairID']}" for r in rows),
        tuple(f"{_normalise_field(r['field'])}: {r['linguistics_term']}" for r in rows),
    )


def jblimp_pairs() -> MinimalPairSet:
    """All validated JBLiMP pairs; paradigm = ``"jblimp/<phenomenon>"`` (its own paradigms are too small)."""
    path = fetch("jblimp", "validated_minimal_pairs.jsonl")
    rows = read_jsonl(path)
    rows = [r for r in rows if r["good_sentence"] != r["bad_sentence"]]
    return MinimalPairSet(
        tuple(r["good_sentence"] for r in rows),
        tuple(r["bad_sentence"] for r in rows),
        tuple(f"jblimp/{r['phenomenon']}" for r in rows),
        tuple(f"jblimp/{r['ID']}" for r in rows),
        tuple(r["phenomenon"] for r in rows),
    )


def paradigm_languages(
    sources: list[str], columns: Mapping[str, str] | None = None
) -> dict[str, str]:
    """The language of each paradigm of the own tables among ``sources`` (from their language
    column; a paradigm must have one)."""
    out: dict[str, str] = {}
    for source in filter(own.is_own, sources):
        rows = own.pair_rows(source, columns)
        for paradigm, lang in zip(rows.paradigm, rows.language):
            if out.setdefault(paradigm, lang) != lang:
                raise own.DataError(
                    f"{own.parse(source).name}: paradigm {paradigm!r} has sentences in "
                    f"{out[paradigm] or 'no language'} and in {lang or 'no language'}"
                )
    return out


def load_minimal_pairs(
    sources: list[str],
    paradigms: list[str] | None = None,
    n_per_paradigm: int = 200,
    seed: int = 0,
    min_pairs: int = 1,
    columns: Mapping[str, str] | None = None,
) -> MinimalPairSet:
    """Minimal pairs from several sources: up to ``n_per_paradigm`` per paradigm (a seeded sample
    where a paradigm has more), all paradigms of the sources unless ``paradigms`` names some.
    Paradigms with fewer than ``min_pairs`` pairs (some JBLiMP phenomena) are left out."""
    check_paradigms(sources, paradigms, columns)
    parts = []
    for source in sources:  # in the order of ``paradigms`` where given
        names = (
            [p for p in paradigms if p in available_paradigms(source, columns)]
            if paradigms
            else available_paradigms(source, columns)
        )
        if not own.is_own(source) and _pair_source(source).generate is not None:
            parts += [_pair_source(source).generate(name, n_per_paradigm, seed) for name in names]
            continue
        pool = own_pairs(source, columns) if own.is_own(source) else _pair_source(source).pool()
        for name in names:
            pairs = pool if pool is not None else _pair_source(source).paradigm(name)
            rows = pairs.rows(name)
            if len(rows) > n_per_paradigm:
                rows = np.sort(
                    np.random.default_rng(seed).choice(rows, n_per_paradigm, replace=False)
                )
            if len(rows) >= min_pairs:
                parts.append(pairs.subset(rows))
    if not parts:
        raise ValueError(f"no paradigm of {sources} has at least {min_pairs} pairs")
    return MinimalPairSet.concat(parts)


def languages_of(
    paradigms: Sequence[str], sources: list[str], columns: Mapping[str, str] | None = None
) -> list[str]:
    """The language of each paradigm: an own table's ``language`` column (``""`` where it has
    none), else the built-in source's (generated ``ja_…`` and JBLiMP Japanese, the rest
    English)."""
    own_languages = paradigm_languages(sources, columns)
    return [
        own_languages[name] if name in own_languages else generator.language_of(name)
        for name in paradigms
    ]


def own_paradigm_sizes(
    sources: list[str], columns: Mapping[str, str] | None = None
) -> dict[str, int]:
    """Pairs per paradigm of the own tables among ``sources`` (read now, no model needed)."""
    sizes: dict[str, int] = {}
    for source in filter(own.is_own, sources):
        for name in own.pair_rows(source, columns).paradigm:
            sizes[name] = sizes.get(name, 0) + 1
    return sizes


def check_pair_sources(name: str, sources: list[str], columns: Mapping[str, str] | None = None):
    """Each source is a built-in one or an own table (read and checked now), none twice."""
    for source in sources:
        if own.is_own(source):
            own.pair_rows(source, columns)
        elif source not in PAIR_SOURCES:
            raise ValueError(
                f"{name} contains {source!r}, which is not allowed; choose one of: "
                f"{', '.join(PAIR_SOURCES)}, or {OWN_PAIR_SOURCES}"
            )
    repeated = sorted({s for s in sources if sources.count(s) > 1})
    if repeated:
        raise ValueError(f"{name} lists {', '.join(repeated)} more than once")
    if not sources:
        raise ValueError(f"{name} needs at least 1 value(s), got []")


def check_paradigms(
    sources: list[str], paradigms: list[str] | None, columns: Mapping[str, str] | None = None
) -> None:
    check_pair_sources("PAIR_SOURCES", sources, columns)
    if paradigms:
        allowed = [p for s in sources for p in available_paradigms(s, columns)]
        unknown = [p for p in paradigms if p not in allowed]
        if unknown:
            raise ValueError(
                f"paradigm(s) {unknown} are not in the sources {sources}; available: {', '.join(allowed)}"
            )


def pair_files(sources: list[str], paradigms: list[str] | None = None) -> list[tuple[str, str]]:
    """The manifest files (data set, path) that :func:`load_minimal_pairs` reads for ``sources``
    (BLiMP: one file per chosen paradigm; JBLiMP: its one file, whenever it is a source)."""
    return [
        file
        for source in sources
        if not own.is_own(source)
        for file in _pair_source(source).files(paradigms)
    ]


def describe_pairs(sources: list[str], columns: Mapping[str, str] | None = None) -> list[dict]:
    """Provenance entries for a minimal-pair chapter's data."""
    return [
        own.describe(source) if own.is_own(source) else _pair_source(source).describe()
        for source in sources
    ]


# --------------------------------------------------------------------------- the sources


@dataclass(frozen=True)
class PairSource:
    """A built-in minimal-pair source: the languages of its sentences, its paradigm names, the
    manifest files it reads for some paradigms (all: None) and its provenance entry; its pairs
    either generated (``generate(paradigm, n, seed)``), read as one table (``pool()``) or read
    per paradigm (``paradigm(name)``)."""

    languages: tuple[str, ...]
    paradigms: Callable[[], tuple[str, ...]]
    files: Callable[[list[str] | None], list[tuple[str, str]]]
    describe: Callable[[], dict]
    generate: Callable[[str, int, int], MinimalPairSet] | None = None
    pool: Callable[[], MinimalPairSet | None] = lambda: None
    paradigm: Callable[[str], MinimalPairSet] | None = None


def _blimp_paradigms() -> tuple[str, ...]:
    return tuple(
        f"blimp/{name.removesuffix('.jsonl')}" for name in manifest()["datasets"]["blimp"]["files"]
    )


def _blimp_files(paradigms: list[str] | None) -> list[tuple[str, str]]:
    names = _blimp_paradigms() if paradigms is None else paradigms
    return [
        ("blimp", f"{name.removeprefix('blimp/')}.jsonl")
        for name in names
        if name.startswith("blimp/")
    ]


PAIR_SOURCE_REGISTRY: dict[str, PairSource] = {
    "generated": PairSource(
        ("en", "ja"),
        paradigms=lambda: tuple(generator.PARADIGMS),
        files=lambda paradigms: [],
        describe=lambda: {
            "dataset": "minimal pairs generated by neuron_utils.data.generator (templates and "
            "lexicon written for this book; data card data/bundled/minimal_pairs.md)",
            "license": "CC-BY 4.0, written for this book",
        },
        generate=generator.generate,
    ),
    "blimp": PairSource(
        ("en",),
        paradigms=_blimp_paradigms,
        files=_blimp_files,
        describe=lambda: dataset_provenance(
            "blimp", list(manifest()["datasets"]["blimp"]["files"])
        ),
        paradigm=blimp_pairs,
    ),
    "jblimp": PairSource(
        ("ja",),
        paradigms=lambda: tuple(f"jblimp/{name}" for name in JBLIMP_PHENOMENA),
        files=lambda paradigms: [("jblimp", "validated_minimal_pairs.jsonl")],
        describe=lambda: dataset_provenance("jblimp", ["validated_minimal_pairs.jsonl"]),
        pool=jblimp_pairs,
    ),
}
PAIR_SOURCES = tuple(PAIR_SOURCE_REGISTRY)  # besides own tables


def _pair_source(source: str) -> PairSource:
    if source not in PAIR_SOURCE_REGISTRY:
        raise ValueError(
            f"unknown minimal-pair source {source!r}; allowed: {', '.join(PAIR_SOURCES)}, "
            f"or {OWN_PAIR_SOURCES}"
        )
    return PAIR_SOURCE_REGISTRY[source]

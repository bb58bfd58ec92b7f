"""Parallel text: the bundled corpus, FLORES-200, Tatoeba and a reader's own tables (a file or a
Hugging Face dataset with one column per language, :mod:`neuron_utils.data.own`), and parallel / non-parallel pairs.

A source is a name (``bundled``, ``flores``, ``tatoeba``) or an own table's spec; ``columns`` maps
language codes to an own table's column names where they differ (``DATA_COLUMNS``)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache, partial

import numpy as np

from ..core.paths import DATA_DIR
from ..core.storage import sha256_file
from . import own, quality
from .downloads import DataError, dataset_provenance, expected_sha256, fetch, read_jsonl
from .generator import PARADIGMS, generate, language_of
from .minimal_pairs import describe_pairs

BUNDLED_PARALLEL = DATA_DIR / "bundled" / "parallel8.jsonl"
# English sentences in a formal written register, for the cross-corpus design (data card in
# data/bundled/README.md)
BUNDLED_FORMAL = DATA_DIR / "bundled" / "formal_en.jsonl"

LANGUAGE_NAMES = {
    "en": "English",
    "ja": "Japanese",
    "nl": "Dutch",
    "ko": "Korean",
    "it": "Italian",
    "zh": "Chinese",
    "fr": "French",
    "es": "Spanish",
    "de": "German",
    "ru": "Russian",
    "ar": "Arabic",
    "vi": "Vietnamese",
    "id": "Indonesian",
    "th": "Thai",
    "tr": "Turkish",
    "pt": "Portuguese",
}
FLORES_CODES = {
    "en": "eng_Latn",
    "ja": "jpn_Jpan",
    "nl": "nld_Latn",
    "ko": "kor_Hang",
    "it": "ita_Latn",
    "zh": "zho_Hans",
    "fr": "fra_Latn",
    "es": "spa_Latn",
    "de": "deu_Latn",
    "ru": "rus_Cyrl",
    "ar": "arb_Arab",
    "vi": "vie_Latn",
    "id": "ind_Latn",
    "th": "tha_Thai",
    "tr": "tur_Latn",
    "pt": "por_Latn",
}
TATOEBA_CODES = {"ja": "jpn", "nl": "nld", "ko": "kor", "it": "ita"}
BUNDLED_LANGUAGES = ("en", "ja", "nl", "ko", "it", "zh", "fr", "es")
OWN_SOURCES = "a .jsonl/.csv/.tsv/.parquet file or hf:<dataset id>"


def check_source(name: str, source: str, allowed: tuple[str, ...] | None = None) -> None:
    """``source`` is one of ``allowed`` (default: every built-in source, :data:`SOURCES`) or an
    own table (which is read and checked now)."""
    if own.is_own(source):
        own.load(source)
        return
    allowed = SOURCES if allowed is None else allowed
    if source not in allowed:
        raise ValueError(
            f"{name}={source!r} is not allowed; choose one of: {', '.join(allowed)}, "
            f"or {OWN_SOURCES}"
        )


def source_files(source: str, langs: list[str]) -> list[tuple[str, str]]:
    """The manifest files (data set, path) that a parallel source reads for ``langs`` (none for
    an own table)."""
    return [] if own.is_own(source) else _parallel(source).files(langs)


def _bundled_provenance(what: str, path) -> dict:
    """The provenance entry of one of the book's own data files."""
    return {
        "dataset": f"{what} {path.relative_to(DATA_DIR.parent)}",
        "license": "CC-BY 4.0, written for this book",
        "files": {path.name: sha256_file(path)},
    }


def describe_source(
    source: str, langs: list[str], columns: Mapping[str, str] | None = None
) -> list[dict]:
    """Provenance entries (name, upstream, license, file checksums, the share of each
    language's sentences identified as another language) for a chapter's data."""
    if own.is_own(source):
        by_lang = own.languages(source, columns)
        chosen = {lang: by_lang[lang] for lang in langs if lang in by_lang}
        return [own.describe(source, list(chosen.values()), languages=chosen)]
    entries = _parallel(source).describe(langs)
    for entry, (table, shares) in zip(entries, language_shares(source, langs), strict=True):
        entry[quality.FIELD] = quality.summary(shares, table)
    return entries


def language_shares(
    source: str, langs: list[str], columns: Mapping[str, str] | None = None
) -> list[tuple[str, list[quality.LanguageShare]]]:
    """For each table a chapter reads of ``source`` (one per English-L2 pair of Tatoeba, named
    ``eng-xxx``; one, named ``""``, otherwise), the check of each language of ``langs``:
    sentences checked, how many identified as another language, the most common of those
    (:mod:`.quality`). Cached on the files' sha256."""
    if own.is_own(source):
        check_languages(langs, source, columns)
        by_lang = own.languages(source, columns)
        return [("", own.language_shares(source, {lang: by_lang[lang] for lang in langs}))]
    check_languages(langs, source)
    if source == "tatoeba":  # each L2 has its own English file
        return [
            (f"eng-{TATOEBA_CODES[l2]}", _tatoeba_shares(l2, "en" in langs))
            for l2 in langs
            if l2 != "en"
        ]
    found = _parallel(source).texts
    shares = [
        quality.language_share(lang, _content_digest(source, lang), partial(found, lang))
        for lang in langs
    ]
    return [("", shares)]


def _content_digest(source: str, lang: str) -> str:
    """What identifies one language's sentences of the bundled corpus or FLORES: the sha256 of
    their file (FLORES: the manifest's, which :func:`fetch` checks), with the language where
    one file holds them all."""
    if source == "flores":
        return expected_sha256("flores200", flores_files([lang])[0])
    return f"{sha256_file(BUNDLED_PARALLEL)}:{lang}"


def _tatoeba_shares(l2: str, english: bool) -> list[quality.LanguageShare]:
    """The check of the English (where ``english``) and the L2 side of a Tatoeba pair."""
    en_file, l2_file = tatoeba_files(l2)
    sides = [("en", en_file, 0)] if english else []
    return [
        quality.language_share(
            lang,
            expected_sha256("tatoeba", path),
            lambda side=side: [pair[side] for pair in tatoeba_pairs(l2)],
        )
        for lang, path, side in [*sides, (l2, l2_file, 1)]
    ]


@lru_cache(maxsize=1)
def bundled_corpus() -> tuple[dict, ...]:
    """The project's own parallel corpus: dicts with ``id``, ``topic`` and one key per language."""
    return tuple(read_jsonl(BUNDLED_PARALLEL))


def bundled_texts(lang: str) -> list[str]:
    check_languages([lang], "bundled")
    return [row[lang] for row in bundled_corpus()]


def _unquote_csv(line: str) -> str:
    """Undo the CSV quoting found on some FLORES lines: outer quotes dropped, doubled quotes halved."""
    if len(line) > 1 and line[0] == line[-1] == '"' and '""' in line[1:-1]:
        return line[1:-1].replace('""', '"')
    return line


def flores_texts(lang: str) -> list[str]:
    """The 1012 FLORES-200 devtest sentences of ``lang`` (line-aligned across languages)."""
    check_languages([lang], "flores")
    path = fetch("flores200", flores_files([lang])[0])
    return [_unquote_csv(line) for line in path.read_text(encoding="utf-8").splitlines()]


def flores_files(langs: list[str]) -> list[str]:
    return [f"devtest/{FLORES_CODES[lang]}.devtest" for lang in langs]


def tatoeba_files(l2: str) -> list[str]:
    code = TATOEBA_CODES[l2]
    return [
        f"eng-{code}/tatoeba-test-v2021-08-07.eng",
        f"eng-{code}/tatoeba-test-v2021-08-07.{code}",
    ]


def tatoeba_pairs(l2: str) -> list[tuple[str, str]]:
    """All (English, L2) Tatoeba test pairs, in the upstream (alphabetical) order."""
    check_languages(["en", l2], "tatoeba")
    en_path, l2_path = (fetch("tatoeba", f) for f in tatoeba_files(l2))
    en = en_path.read_text(encoding="utf-8").splitlines()
    other = l2_path.read_text(encoding="utf-8").splitlines()
    if len(en) != len(other):
        raise DataError(
            f"Tatoeba eng-{TATOEBA_CODES[l2]}: {len(en)} English lines vs {len(other)} {l2} lines"
        )
    return list(zip(en, other))


def available_languages(source: str, columns: Mapping[str, str] | None = None) -> tuple[str, ...]:
    if own.is_own(source):
        return tuple(own.languages(source, columns))
    return _parallel(source).languages


def check_languages(
    langs: list[str], source: str, columns: Mapping[str, str] | None = None
) -> None:
    allowed = available_languages(source, columns)
    bad = [lang for lang in langs if lang not in allowed]
    if bad:
        raise ValueError(
            f"language(s) {bad} not in the {source} data; allowed: {', '.join(allowed)}"
        )


def texts(source: str, lang: str, columns: Mapping[str, str] | None = None) -> list[str]:
    """All sentences of one language in a multi-parallel source (bundled, FLORES, own table)."""
    if own.is_own(source):
        return own.texts(source, lang, columns)
    found = _parallel(source).texts
    if found is None:
        multi = ", ".join(name for name, s in PARALLEL_SOURCES.items() if s.texts is not None)
        raise ValueError(
            f"per-language text needs a multi-parallel source: {multi} or {OWN_SOURCES}, "
            f"not {source!r}"
        )
    return found(lang)


def split_texts(
    source: str,
    lang: str,
    n_first: int,
    n_second: int,
    seed: int = 0,
    columns: Mapping[str, str] | None = None,
) -> tuple[list[str], list[str]]:
    """Two disjoint seeded samples of one language's sentences (e.g. statistics / held out)."""
    pool = texts(source, lang, columns)
    if n_first + n_second > len(pool):
        raise ValueError(
            f"{n_first} + {n_second} sentences asked, the {source} data has {len(pool)} for {lang}"
        )
    order = np.random.default_rng(seed).permutation(len(pool))
    return [pool[i] for i in order[:n_first]], [
        pool[i] for i in order[n_first : n_first + n_second]
    ]


# --------------------------------------------------------------------------- other corpora

# Sentences of the L1 from outside the parallel source, for the cross-corpus design: the book's
# formal-register set, the good sentences of the generated minimal pairs, FLORES-200 devtest
# (:data:`OTHER_CORPORA`, below).


@lru_cache(maxsize=1)
def formal_corpus() -> tuple[dict, ...]:
    """The book's formal-register English sentences: dicts with ``id``, ``topic``, ``en``."""
    return tuple(read_jsonl(BUNDLED_FORMAL))


def other_languages(corpus: str) -> tuple[str, ...]:
    """The languages an other corpus has sentences in."""
    if corpus not in OTHER_CORPORA:
        raise ValueError(f"unknown other corpus {corpus!r}; allowed: {', '.join(OTHER_CORPORA)}")
    return OTHER_CORPORA[corpus].languages


def other_texts(corpus: str, lang: str) -> list[str]:
    """The distinct sentences of ``lang`` in an other corpus, in a fixed order."""
    if lang not in other_languages(corpus):
        raise ValueError(
            f"the {corpus} corpus has no {lang!r} sentences; it has: "
            f"{', '.join(other_languages(corpus))}"
        )
    return list(dict.fromkeys(row for row in OTHER_CORPORA[corpus].texts(lang) if row))


@lru_cache(maxsize=4)
def _generated_good(lang: str) -> tuple[str, ...]:
    """Good sentences of the generated minimal pairs of ``lang``: the first 40 of 200 pairs per
    paradigm (seed 0), so that no template dominates."""
    return tuple(
        sentence
        for name in PARADIGMS
        if language_of(name) == lang
        for sentence in generate(name, 200, seed=0).good[:40]
    )


def describe_other(corpus: str, lang: str) -> list[dict]:
    """Provenance entries of an other corpus (one that is also a parallel source, FLORES, with
    the share of its sentences identified as another language)."""
    entries = OTHER_CORPORA[corpus].describe([lang])
    if corpus in PARALLEL_SOURCES:
        ((table, shares),) = language_shares(corpus, [lang])
        entries[0][quality.FIELD] = quality.summary(shares, table)
    return entries


def other_files(corpus: str, lang: str) -> list[tuple[str, str]]:
    """The manifest files an other corpus reads."""
    return OTHER_CORPORA[corpus].files([lang])


# --------------------------------------------------------------------------- pairs

# derangement: the same sentences re-paired; disjoint: other sentences of the same source;
# cross-corpus: L1 sentences from another corpus beside the parallel pairs' L2 sentences
DESIGNS = ("derangement", "disjoint", "cross-corpus")


@dataclass
class PairSet:
    """Parallel (label 1) and non-parallel (label 0) sentence pairs between two languages.

    ``pairs[k] = (i, j)`` pairs ``l1_texts[i]`` with ``l2_texts[j]``; for ``i < len(l2_texts)``
    ``l1_texts[i]`` and ``l2_texts[i]`` are translations of each other (the cross-corpus design
    appends L1 sentences of another corpus, ``other``, that translate nothing).
    """

    l1: str
    l2: str
    design: str
    source: str
    l1_texts: list[str]
    l2_texts: list[str]
    pairs: np.ndarray  # [n_pairs, 2] int
    labels: np.ndarray  # [n_pairs] int, 1 = parallel
    other: str = ""  # the other corpus of the cross-corpus design

    @property
    def n_per_class(self) -> int:
        return int(self.labels.sum())

    def l1_side(self, label: int) -> list[str]:
        """The L1 sentences of the pairs of one class (1 = parallel), in pair order."""
        return [self.l1_texts[i] for i in self.pairs[self.labels == label, 0]]

    def regrouped(self, folds: int, seed: int = 0) -> tuple[PairSet, np.ndarray]:
        """The same design, with no sentence shared between folds: ``(pairs, fold [n_pairs])``.

        Every translation row (an L1 sentence and its L2 translation) goes to one of ``folds``
        seeded, near-equal folds; a pair belongs to the fold of its rows. Where the design
        pairs sentences of different rows (derangement, and the pool of the disjoint design),
        the non-parallel pairs are drawn again *within* each fold, by a derangement of the
        fold's rows, so that each fold keeps one non-parallel pair per parallel pair; the
        cross-corpus design pairs each L2 sentence with its own other-corpus sentence and is
        kept as it is. Training on some folds and testing on another then never shows the
        test sentences (nor their translations) in training.
        """
        n = self.n_per_class
        if not 2 <= folds <= n // 2:
            raise ValueError(
                f"{folds} folds of {n} pairs per class: need 2..{n // 2} (each fold needs 2 rows "
                "to re-pair them)"
            )
        rng = np.random.default_rng(seed)

        def assign(count: int) -> np.ndarray:  # row -> fold, near-equal sizes, seeded order
            return np.resize(np.arange(folds), count)[rng.permutation(count)]

        parallel = self.pairs[self.labels == 1]
        fold_parallel = assign(n)[parallel[:, 0]]
        if self.design == "cross-corpus":
            non_parallel = self.pairs[self.labels == 0]
            row_fold = dict(zip(parallel[:, 1].tolist(), fold_parallel.tolist(), strict=True))
            fold_other = np.array([row_fold[j] for j in non_parallel[:, 1]])
        else:
            if self.design == "derangement":
                pool, pool_fold = parallel[:, 0], fold_parallel
            else:  # disjoint: the rows after the parallel ones
                pool = np.unique(self.pairs[self.labels == 0, 0])
                pool_fold = assign(len(pool))
            chunks, fold_other = [], []
            for fold in range(folds):
                rows = pool[pool_fold == fold]
                chunks.append(np.stack([rows, rows[derangement(len(rows), rng)]], axis=1))
                fold_other.append(np.full(len(rows), fold))
            non_parallel, fold_other = np.concatenate(chunks), np.concatenate(fold_other)
        regrouped = PairSet(
            l1=self.l1,
            l2=self.l2,
            design=self.design,
            source=self.source,
            l1_texts=self.l1_texts,
            l2_texts=self.l2_texts,
            pairs=np.concatenate([parallel, non_parallel]),
            labels=np.concatenate([np.ones(n, int), np.zeros(len(non_parallel), int)]),
            other=self.other,
        )
        return regrouped, np.concatenate([fold_parallel, fold_other])

    def subset(self, index: np.ndarray) -> PairSet:
        """The pairs ``index`` (indices or a boolean mask) with only the sentences they use,
        translation rows first, so that ``l1_texts[i]`` and ``l2_texts[i]`` stay translations."""
        pairs = self.pairs[index]
        n_rows = len(self.l2_texts)
        rows = np.unique(np.concatenate([pairs[pairs[:, 0] < n_rows, 0], pairs[:, 1]]))
        others = np.unique(pairs[pairs[:, 0] >= n_rows, 0])  # other-corpus L1 sentences
        l1_rows = np.concatenate([rows, others])
        new_l1 = np.full(len(self.l1_texts), -1)
        new_l1[l1_rows] = np.arange(len(l1_rows))
        new_l2 = np.full(n_rows, -1)
        new_l2[rows] = np.arange(len(rows))
        return PairSet(
            l1=self.l1,
            l2=self.l2,
            design=self.design,
            source=self.source,
            l1_texts=[self.l1_texts[i] for i in l1_rows],
            l2_texts=[self.l2_texts[i] for i in rows],
            pairs=np.stack([new_l1[pairs[:, 0]], new_l2[pairs[:, 1]]], axis=1),
            labels=self.labels[index],
            other=self.other,
        )

    def halves(self, seed: int = 0) -> tuple[PairSet, PairSet]:
        """Two pair sets of the same design that share no sentence (:meth:`regrouped` with two
        folds): choose on one, measure on the other."""
        regrouped, fold = self.regrouped(2, seed)
        return regrouped.subset(fold == 0), regrouped.subset(fold == 1)


def derangement(n: int, rng: np.random.Generator) -> np.ndarray:
    """A uniformly random permutation of ``range(n)`` with no fixed point (n >= 2)."""
    if n < 2:
        raise ValueError("a derangement needs at least 2 items")
    while True:
        perm = rng.permutation(n)
        if not np.any(perm == np.arange(n)):
            return perm


def translation_pairs(
    source: str, l1: str, l2: str, columns: Mapping[str, str] | None = None
) -> list[tuple[str, str]]:
    """Aligned (L1, L2) translations from a source, each L1 and each L2 sentence used once."""
    check_languages([l1, l2], source, columns)
    if own.is_own(source):  # checked when read: no sentence empty or repeated
        rows = list(zip(own.texts(source, l1, columns), own.texts(source, l2, columns)))
    else:
        rows = _parallel(source).pairs(l1, l2)
    # Duplicated sentences would let a "non-parallel" pair be a real translation: keep the first.
    seen1, seen2, unique = set(), set(), []
    for a, b in rows:
        if a and b and a not in seen1 and b not in seen2:
            seen1.add(a)
            seen2.add(b)
            unique.append((a, b))
    return unique


def _other_pool(other: str, source: str, l1: str, rows: list[tuple[str, str]]) -> list[str]:
    """The other corpus's L1 sentences that are not among the source's translation ``rows``
    (so that none is a translation of an L2 sentence of the source)."""
    if other == source:
        raise ValueError(
            f"the cross-corpus design needs another corpus than the parallel source ({source!r})"
        )
    inside = {a for a, _ in rows}
    return [text for text in other_texts(other, l1) if text not in inside]


def _most_pairs(design: str, n_rows: int, n_other: int) -> int:
    """The most pairs per class of a design, from the counts of translations and other sentences."""
    if design == "cross-corpus":
        return min(n_rows, n_other)
    return n_rows if design == "derangement" else n_rows // 2


def max_pairs(
    source: str,
    l1: str,
    l2: str,
    design: str,
    other: str = "formal",
    columns: Mapping[str, str] | None = None,
) -> int:
    """The most pairs per class a design allows for ``l1``-``l2`` of ``source``."""
    rows = translation_pairs(source, l1, l2, columns)
    pool = _other_pool(other, source, l1, rows) if design == "cross-corpus" else []
    return _most_pairs(design, len(rows), len(pool))


def make_pairs(
    source: str,
    l1: str,
    l2: str,
    n_pairs: int,
    design: str = "derangement",
    seed: int = 0,
    other: str = "formal",
    columns: Mapping[str, str] | None = None,
) -> PairSet:
    """``n_pairs`` parallel and ``n_pairs`` non-parallel pairs.

    ``derangement``: the same ``n_pairs`` sentences in both classes; non-parallel pairs
    re-pair them by a seeded derangement (only the pairing differs).
    ``disjoint``: non-parallel pairs come from another ``n_pairs`` sentences of the source;
    needs ``2 * n_pairs`` translations.
    ``cross-corpus`` (the authors' released code): each L2 sentence of the parallel pairs is
    paired again with an L1 sentence of the corpus ``other`` (one of ``OTHER_CORPORA``), so
    the two classes differ on the L1 side by corpus as well as by meaning, and not on the L2 side.
    """
    if design not in DESIGNS:
        raise ValueError(f"unknown non-parallel design {design!r}; allowed: {', '.join(DESIGNS)}")
    check_languages([l1, l2], source, columns)
    rows = translation_pairs(source, l1, l2, columns)  # read once: Tatoeba and FLORES are files
    pool = _other_pool(other, source, l1, rows) if design == "cross-corpus" else []
    most = _most_pairs(design, len(rows), len(pool))
    if not 2 <= n_pairs <= most:
        extra = f" and {other} {len(pool)} other {l1} sentences" if design == "cross-corpus" else ""
        raise ValueError(
            f"n_pairs={n_pairs} is not possible: {source} has {len(rows)} unique {l1}-{l2} "
            f"translations{extra}, so the {design} design allows 2..{most} pairs"
        )
    needed = 2 * n_pairs if design == "disjoint" else n_pairs
    rng = np.random.default_rng(seed)
    chosen = [rows[i] for i in rng.choice(len(rows), size=needed, replace=False)]
    l1_texts = [a for a, _ in chosen]
    l2_texts = [b for _, b in chosen]
    parallel = np.stack([np.arange(n_pairs)] * 2, axis=1)
    if design == "cross-corpus":
        l1_texts += [pool[i] for i in rng.choice(len(pool), size=n_pairs, replace=False)]
        # the k-th other sentence beside the k-th L2 sentence: both orders are random draws
        non_parallel = np.stack([np.arange(n_pairs, 2 * n_pairs), np.arange(n_pairs)], axis=1)
    else:
        pool_ids = np.arange(n_pairs) if design == "derangement" else np.arange(n_pairs, needed)
        non_parallel = np.stack([pool_ids, pool_ids[derangement(n_pairs, rng)]], axis=1)
    return PairSet(
        l1=l1,
        l2=l2,
        design=design,
        source=source,
        l1_texts=l1_texts,
        l2_texts=l2_texts,
        pairs=np.concatenate([parallel, non_parallel]),
        labels=np.concatenate([np.ones(n_pairs, int), np.zeros(n_pairs, int)]),
        other=other if design == "cross-corpus" else "",
    )


# --------------------------------------------------------------------------- the sources


@dataclass(frozen=True)
class ParallelSource:
    """A built-in parallel source: its languages, its aligned (L1, L2) rows, the manifest files
    and provenance entries of some languages, and (multi-parallel sources) one language's
    sentences."""

    languages: tuple[str, ...]
    pairs: Callable[[str, str], list[tuple[str, str]]]
    files: Callable[[list[str]], list[tuple[str, str]]]
    describe: Callable[[list[str]], list[dict]]
    texts: Callable[[str], list[str]] | None = None


def _tatoeba_rows(l1: str, l2: str) -> list[tuple[str, str]]:
    if l1 != "en":
        raise ValueError("Tatoeba test sets pair English (L1 = en) with another language")
    return tatoeba_pairs(l2)


def _flores_manifest_files(langs: list[str]) -> list[tuple[str, str]]:
    return [("flores200", path) for path in flores_files(langs)]


PARALLEL_SOURCES: dict[str, ParallelSource] = {
    "bundled": ParallelSource(
        BUNDLED_LANGUAGES,
        pairs=lambda l1, l2: [(r[l1], r[l2]) for r in bundled_corpus()],
        files=lambda langs: [],
        describe=lambda langs: [_bundled_provenance("bundled parallel corpus", BUNDLED_PARALLEL)],
        texts=bundled_texts,
    ),
    "flores": ParallelSource(
        tuple(FLORES_CODES),
        pairs=lambda l1, l2: list(zip(flores_texts(l1), flores_texts(l2))),
        files=_flores_manifest_files,
        describe=lambda langs: [dataset_provenance("flores200", flores_files(langs))],
        texts=flores_texts,
    ),
    "tatoeba": ParallelSource(
        ("en", *TATOEBA_CODES),
        pairs=_tatoeba_rows,
        files=lambda langs: [
            ("tatoeba", path) for lang in langs if lang != "en" for path in tatoeba_files(lang)
        ],
        describe=lambda langs: [
            dataset_provenance("tatoeba", tatoeba_files(lang)) for lang in langs if lang != "en"
        ],
    ),
}
SOURCES = tuple(PARALLEL_SOURCES)  # besides own tables (a file, or hf:<dataset id>)


def _parallel(source: str) -> ParallelSource:
    if source not in PARALLEL_SOURCES:
        raise ValueError(
            f"unknown data source {source!r}; allowed: {', '.join(SOURCES)}, or {OWN_SOURCES}"
        )
    return PARALLEL_SOURCES[source]


@dataclass(frozen=True)
class OtherCorpus:
    """A corpus of L1 sentences outside the parallel source (the cross-corpus design)."""

    languages: tuple[str, ...]
    texts: Callable[[str], list[str]]
    files: Callable[[list[str]], list[tuple[str, str]]]
    describe: Callable[[list[str]], list[dict]]


OTHER_CORPORA: dict[str, OtherCorpus] = {
    "formal": OtherCorpus(
        ("en",),
        texts=lambda lang: [row["en"] for row in formal_corpus()],
        files=lambda langs: [],
        describe=lambda langs: [
            _bundled_provenance("bundled formal-register English", BUNDLED_FORMAL)
        ],
    ),
    "generated": OtherCorpus(
        ("en",),
        texts=lambda lang: list(_generated_good(lang)),
        files=lambda langs: [],
        describe=lambda langs: describe_pairs(["generated"]),
    ),
    "flores": OtherCorpus(
        tuple(FLORES_CODES),
        texts=flores_texts,
        files=_flores_manifest_files,
        describe=lambda langs: [dataset_provenance("flores200", flores_files(langs))],
    ),
}

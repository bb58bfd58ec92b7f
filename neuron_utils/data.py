"""Data: the bundled parallel corpus, real data sets from the manifest, and sentence pairs.

Real data sets are never committed: ``data/manifest.json`` names each file by its upstream
URL at a pinned commit and its sha256. :func:`fetch` copies a file from the mirror folder
``NEURON_UTILS_DATA_MIRROR`` (same layout as upstream) or downloads it, checks the
checksum and only then moves it into place, so a failed or corrupted transfer leaves
nothing behind.
"""

from __future__ import annotations

import json
import os
import shutil
import urllib.error
import urllib.request
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from . import minimal_pairs as generator
from .paths import DATA_DIR, downloads_dir
from .storage import atomic_path, sha256_file

MANIFEST = DATA_DIR / "manifest.json"
BUNDLED_PARALLEL = DATA_DIR / "bundled" / "parallel8.jsonl"

LANGUAGE_NAMES = {
    "en": "English", "ja": "Japanese", "nl": "Dutch", "ko": "Korean", "it": "Italian",
    "zh": "Chinese", "fr": "French", "es": "Spanish", "de": "German", "ru": "Russian",
    "ar": "Arabic", "vi": "Vietnamese", "id": "Indonesian", "th": "Thai", "tr": "Turkish",
    "pt": "Portuguese",
}
FLORES_CODES = {
    "en": "eng_Latn", "ja": "jpn_Jpan", "nl": "nld_Latn", "ko": "kor_Hang", "it": "ita_Latn",
    "zh": "zho_Hans", "fr": "fra_Latn", "es": "spa_Latn", "de": "deu_Latn", "ru": "rus_Cyrl",
    "ar": "arb_Arab", "vi": "vie_Latn", "id": "ind_Latn", "th": "tha_Thai", "tr": "tur_Latn",
    "pt": "por_Latn",
}
TATOEBA_CODES = {"ja": "jpn", "nl": "nld", "ko": "kor", "it": "ita"}
BUNDLED_LANGUAGES = ("en", "ja", "nl", "ko", "it", "zh", "fr", "es")
SOURCES = ("bundled", "flores", "tatoeba")


class DataError(RuntimeError):
    """A data set could not be fetched or failed its checksum."""


# --------------------------------------------------------------------------- manifest


@lru_cache(maxsize=1)
def manifest() -> dict:
    return json.loads(MANIFEST.read_text(encoding="utf-8"))


def file_url(dataset: str, relpath: str) -> str:
    entry = manifest()["datasets"][dataset]
    return manifest()["url_pattern"].format(path=relpath, **entry)


def expected_sha256(dataset: str, relpath: str) -> str:
    datasets = manifest()["datasets"]
    if dataset not in datasets:
        raise DataError(f"unknown data set {dataset!r}; the manifest has: {', '.join(datasets)}")
    files = datasets[dataset]["files"]
    if relpath not in files:
        raise DataError(f"{dataset} has no file {relpath!r} in the manifest")
    return files[relpath]


def fetch(dataset: str, relpath: str) -> Path:
    """Local path of a manifest file: cached, copied from the mirror, or downloaded; verified."""
    sha = expected_sha256(dataset, relpath)
    target = downloads_dir() / dataset / relpath
    if target.exists() and sha256_file(target) == sha:
        return target
    mirror = os.environ.get("NEURON_UTILS_DATA_MIRROR")
    with atomic_path(target) as tmp:
        if mirror:
            source = Path(mirror) / dataset / relpath
            if not source.exists():
                raise DataError(f"{source} is missing from the mirror NEURON_UTILS_DATA_MIRROR={mirror}")
            shutil.copyfile(source, tmp)
            origin = str(source)
        else:
            origin = file_url(dataset, relpath)
            _download(origin, tmp)
        got = sha256_file(tmp)
        if got != sha:
            raise DataError(
                f"checksum mismatch for {dataset}/{relpath} from {origin}: expected sha256 {sha}, got {got}; "
                "the file was not saved"
            )
    return target


def _download(url: str, dest: Path, timeout: float = 30.0) -> None:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response, open(dest, "wb") as fh:
            shutil.copyfileobj(response, fh)
    except (urllib.error.URLError, OSError) as err:
        raise DataError(
            f"could not download {url}: {err}. Without network, point NEURON_UTILS_DATA_MIRROR "
            "at a folder with the upstream layout (e.g. ../shared/data), or use the 'bundled' data source."
        ) from err


def provenance(dataset: str, relpaths: list[str]) -> dict:
    """What a chapter prints about a real data set: upstream, commit, license, checksums."""
    entry = manifest()["datasets"][dataset]
    return {
        "dataset": entry["title"],
        "upstream": f"{entry['repo']} @ {entry['commit']}",
        "license": entry["license"],
        "files": {p: entry["files"][p] for p in relpaths},
    }


def describe_source(source: str, langs: list[str]) -> list[dict]:
    """Provenance entries (name, upstream, license, file checksums) for a chapter's data."""
    if source == "bundled":
        return [{"dataset": f"bundled parallel corpus {BUNDLED_PARALLEL.relative_to(DATA_DIR.parent)}",
                 "license": "CC-BY 4.0, written for this book",
                 "files": {BUNDLED_PARALLEL.name: sha256_file(BUNDLED_PARALLEL)}}]
    if source == "flores":
        return [provenance("flores200", flores_files(langs))]
    return [provenance("tatoeba", tatoeba_files(lang)) for lang in langs if lang != "en"]


# --------------------------------------------------------------------------- loaders


def read_jsonl(path: Path) -> list[dict]:
    """One JSON object per non-empty line."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


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
    return [f"eng-{code}/tatoeba-test-v2021-08-07.eng", f"eng-{code}/tatoeba-test-v2021-08-07.{code}"]


def tatoeba_pairs(l2: str) -> list[tuple[str, str]]:
    """All (English, L2) Tatoeba test pairs, in the upstream (alphabetical) order."""
    check_languages(["en", l2], "tatoeba")
    en_path, l2_path = (fetch("tatoeba", f) for f in tatoeba_files(l2))
    en = en_path.read_text(encoding="utf-8").splitlines()
    other = l2_path.read_text(encoding="utf-8").splitlines()
    if len(en) != len(other):
        raise DataError(f"Tatoeba eng-{TATOEBA_CODES[l2]}: {len(en)} English lines vs {len(other)} {l2} lines")
    return list(zip(en, other))


def available_languages(source: str) -> tuple[str, ...]:
    if source == "bundled":
        return BUNDLED_LANGUAGES
    if source == "flores":
        return tuple(FLORES_CODES)
    if source == "tatoeba":
        return ("en", *TATOEBA_CODES)
    raise ValueError(f"unknown data source {source!r}; allowed: {', '.join(SOURCES)}")


def check_languages(langs: list[str], source: str) -> None:
    allowed = available_languages(source)
    bad = [lang for lang in langs if lang not in allowed]
    if bad:
        raise ValueError(f"language(s) {bad} not in the {source} data; allowed: {', '.join(allowed)}")


def texts(source: str, lang: str) -> list[str]:
    """All sentences of one language in a multi-parallel source (bundled or FLORES)."""
    if source == "bundled":
        return bundled_texts(lang)
    if source == "flores":
        return flores_texts(lang)
    raise ValueError(f"per-language text needs a multi-parallel source: bundled or flores, not {source!r}")


def split_texts(source: str, lang: str, n_first: int, n_second: int, seed: int = 0) -> tuple[list[str], list[str]]:
    """Two disjoint seeded samples of one language's sentences (e.g. statistics / held out)."""
    pool = texts(source, lang)
    if n_first + n_second > len(pool):
        raise ValueError(f"{n_first} + {n_second} sentences asked, the {source} data has {len(pool)} for {lang}")
    order = np.random.default_rng(seed).permutation(len(pool))
    return [pool[i] for i in order[:n_first]], [pool[i] for i in order[n_first : n_first + n_second]]


# --------------------------------------------------------------------------- pairs

DESIGNS = ("derangement", "disjoint")


@dataclass
class PairSet:
    """Parallel (label 1) and non-parallel (label 0) sentence pairs between two languages.

    ``pairs[k] = (i, j)`` pairs ``l1_texts[i]`` with ``l2_texts[j]``; ``l1_texts[i]`` and
    ``l2_texts[i]`` are translations of each other.
    """

    l1: str
    l2: str
    design: str
    source: str
    l1_texts: list[str]
    l2_texts: list[str]
    pairs: np.ndarray  # [n_pairs, 2] int
    labels: np.ndarray  # [n_pairs] int, 1 = parallel

    @property
    def n_per_class(self) -> int:
        return int(self.labels.sum())


def derangement(n: int, rng: np.random.Generator) -> np.ndarray:
    """A uniformly random permutation of ``range(n)`` with no fixed point (n >= 2)."""
    if n < 2:
        raise ValueError("a derangement needs at least 2 items")
    while True:
        perm = rng.permutation(n)
        if not np.any(perm == np.arange(n)):
            return perm


def translation_pairs(source: str, l1: str, l2: str) -> list[tuple[str, str]]:
    """Aligned (L1, L2) translations from a source, each L1 and each L2 sentence used once."""
    check_languages([l1, l2], source)
    if source == "bundled":
        rows = [(r[l1], r[l2]) for r in bundled_corpus()]
    elif source == "flores":
        rows = list(zip(flores_texts(l1), flores_texts(l2)))
    else:
        if l1 != "en":
            raise ValueError("Tatoeba test sets pair English (L1 = en) with another language")
        rows = tatoeba_pairs(l2)
    # Duplicated sentences would let a "non-parallel" pair be a real translation: keep the first.
    seen1, seen2, unique = set(), set(), []
    for a, b in rows:
        if a and b and a not in seen1 and b not in seen2:
            seen1.add(a)
            seen2.add(b)
            unique.append((a, b))
    return unique


def max_pairs(source: str, l1: str, l2: str, design: str) -> int:
    n = len(translation_pairs(source, l1, l2))
    return n if design == "derangement" else n // 2


def make_pairs(source: str, l1: str, l2: str, n_pairs: int, design: str = "derangement", seed: int = 0) -> PairSet:
    """``n_pairs`` parallel and ``n_pairs`` non-parallel pairs.

    ``derangement``: the same ``n_pairs`` sentences in both classes; non-parallel pairs
    re-pair them by a seeded derangement (only the pairing differs).
    ``disjoint``: non-parallel pairs come from another ``n_pairs`` sentences (the papers'
    design); needs ``2 * n_pairs`` translations.
    """
    if design not in DESIGNS:
        raise ValueError(f"unknown non-parallel design {design!r}; allowed: {', '.join(DESIGNS)}")
    rows = translation_pairs(source, l1, l2)
    needed = n_pairs if design == "derangement" else 2 * n_pairs
    if n_pairs < 2 or needed > len(rows):
        raise ValueError(
            f"n_pairs={n_pairs} is not possible: {source} has {len(rows)} unique {l1}-{l2} translations, "
            f"so the {design} design allows 2..{len(rows) if design == 'derangement' else len(rows) // 2} pairs"
        )
    rng = np.random.default_rng(seed)
    chosen = [rows[i] for i in rng.choice(len(rows), size=needed, replace=False)]
    l1_texts = [a for a, _ in chosen]
    l2_texts = [b for _, b in chosen]
    parallel = np.stack([np.arange(n_pairs)] * 2, axis=1)
    pool = np.arange(n_pairs) if design == "derangement" else np.arange(n_pairs, 2 * n_pairs)
    non_parallel = np.stack([pool, pool[derangement(n_pairs, rng)]], axis=1)
    return PairSet(
        l1=l1, l2=l2, design=design, source=source, l1_texts=l1_texts, l2_texts=l2_texts,
        pairs=np.concatenate([parallel, non_parallel]),
        labels=np.concatenate([np.ones(n_pairs, int), np.zeros(n_pairs, int)]),
    )


# --------------------------------------------------------------------------- minimal pairs

PAIR_SOURCES = ("generated", "blimp", "jblimp")
# JBLiMP's phenomena at the pinned commit (its paradigms have 1-40 pairs each: too few to probe).
JBLIMP_PHENOMENA = ("argument structure", "verbal agreement", "morphology", "nominal structure", "ellipsis",
                    "quantifiers", "binding", "island effects", "filler-gap", "NPI licensing", "control/raising")


def available_paradigms(source: str) -> tuple[str, ...]:
    """Paradigm names of a minimal-pair source, as :func:`minimal_pairs` labels them."""
    if source == "generated":
        return tuple(generator.PARADIGMS)
    if source == "blimp":
        return tuple(f"blimp/{name.removesuffix('.jsonl')}" for name in manifest()["datasets"]["blimp"]["files"])
    if source == "jblimp":
        return tuple(f"jblimp/{name}" for name in JBLIMP_PHENOMENA)
    raise ValueError(f"unknown minimal-pair source {source!r}; allowed: {', '.join(PAIR_SOURCES)}")


def _normalise_field(field: str) -> str:
    return field.replace("syntax_semantics", "syntax/semantics")  # BLiMP spells it both ways


def blimp_pairs(paradigm: str) -> generator.MinimalPairSet:
    """One BLiMP paradigm (``"blimp/<UID>"`` or ``"<UID>"``), minus its pairs whose good and bad
    sentences are identical (7 in all of BLiMP). ``group`` is ``"<field>: <linguistics_term>"``."""
    uid = paradigm.removeprefix("blimp/")
    path = fetch("blimp", f"{uid}.jsonl")
    rows = read_jsonl(path)
    rows = [r for r in rows if r["sentence_good"] != r["sentence_bad"]]
    return generator.MinimalPairSet(
        tuple(r["sentence_good"] for r in rows), tuple(r["sentence_bad"] for r in rows), (f"blimp/{uid}",) * len(rows),
        tuple(f"blimp/{uid}/{r['pairID']}" for r in rows),
        tuple(f"{_normalise_field(r['field'])}: {r['linguistics_term']}" for r in rows),
    )


def jblimp_pairs() -> generator.MinimalPairSet:
    """All validated JBLiMP pairs; paradigm = ``"jblimp/<phenomenon>"`` (its own paradigms are too small)."""
    path = fetch("jblimp", "validated_minimal_pairs.jsonl")
    rows = read_jsonl(path)
    rows = [r for r in rows if r["good_sentence"] != r["bad_sentence"]]
    return generator.MinimalPairSet(
        tuple(r["good_sentence"] for r in rows), tuple(r["bad_sentence"] for r in rows),
        tuple(f"jblimp/{r['phenomenon']}" for r in rows), tuple(f"jblimp/{r['ID']}" for r in rows),
        tuple(r["phenomenon"] for r in rows),
    )


def minimal_pairs(
    sources: list[str], paradigms: list[str] | None = None, n_per_paradigm: int = 200, seed: int = 0,
    min_pairs: int = 1,
) -> generator.MinimalPairSet:
    """Minimal pairs from several sources: up to ``n_per_paradigm`` per paradigm (a seeded sample
    where a paradigm has more), all paradigms of the sources unless ``paradigms`` names some.
    Paradigms with fewer than ``min_pairs`` pairs (some JBLiMP phenomena) are left out."""
    check_paradigms(sources, paradigms)
    parts = []
    for source in sources:  # in the order of ``paradigms`` where given
        names = [p for p in paradigms if p in available_paradigms(source)] if paradigms else available_paradigms(source)
        if source == "generated":
            parts += [generator.generate(name, n_per_paradigm, seed) for name in names]
            continue
        pool = jblimp_pairs() if source == "jblimp" else None
        for name in names:
            pairs = pool if pool is not None else blimp_pairs(name)
            rows = pairs.rows(name)
            if len(rows) > n_per_paradigm:
                rows = np.sort(np.random.default_rng(seed).choice(rows, n_per_paradigm, replace=False))
            if len(rows) >= min_pairs:
                parts.append(pairs.subset(rows))
    if not parts:
        raise ValueError(f"no paradigm of {sources} has at least {min_pairs} pairs")
    return generator.MinimalPairSet.concat(parts)


def check_paradigms(sources: list[str], paradigms: list[str] | None) -> None:
    for source in sources:
        if source not in PAIR_SOURCES:
            raise ValueError(f"unknown minimal-pair source {source!r}; allowed: {', '.join(PAIR_SOURCES)}")
    if paradigms:
        allowed = [p for s in sources for p in available_paradigms(s)]
        unknown = [p for p in paradigms if p not in allowed]
        if unknown:
            raise ValueError(f"paradigm(s) {unknown} are not in the sources {sources}; available: {', '.join(allowed)}")


def describe_pairs(sources: list[str]) -> list[dict]:
    """Provenance entries for a minimal-pair chapter's data."""
    out = []
    for source in sources:
        if source == "generated":
            out.append({"dataset": "minimal pairs generated by neuron_utils.minimal_pairs (templates and lexicon "
                                   "written for this book; data card data/bundled/minimal_pairs.md)",
                        "license": "CC-BY 4.0, written for this book"})
        elif source == "blimp":
            out.append(provenance("blimp", list(manifest()["datasets"]["blimp"]["files"])))
        else:
            out.append(provenance("jblimp", ["validated_minimal_pairs.jsonl"]))
    return out

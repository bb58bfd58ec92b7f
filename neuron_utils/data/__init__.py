"""Data: the manifest of real data sets (checked fetch), parallel corpora and pairs, minimal pairs.

- :mod:`.downloads`: ``data/manifest.json``, :func:`fetch` (mirror or download, sha256-checked).
- :mod:`.parallel`: the bundled corpus, FLORES-200, Tatoeba; :class:`PairSet` and :func:`make_pairs`;
  other corpora for the cross-corpus design (:func:`other_texts`).
- :mod:`.minimal_pairs`: :class:`MinimalPairSet`, BLiMP and JBLiMP, :func:`load_minimal_pairs`.
- :mod:`.generator`: the book's own minimal-pair paradigms (templates and lexicon).
- :mod:`.tasks`: multilingual choice tasks (translation choice, XCOPA) scored by log-prob.
- :mod:`.own`: a reader's own parallel text and minimal pairs (a local file or a Hugging Face
  dataset, read with ``datasets`` and checked).
"""

from . import own
from .downloads import DataError, dataset_provenance, fetch, file_url, manifest, read_jsonl
from .minimal_pairs import (
    JBLIMP_PHENOMENA,
    PAIR_SOURCES,
    available_paradigms,
    blimp_pairs,
    check_pair_sources,
    describe_pairs,
    jblimp_pairs,
    languages_of,
    load_minimal_pairs,
    own_pairs,
    own_paradigm_sizes,
    pair_files,
    pair_languages,
    paradigm_languages,
)
from .own import is_own
from .pairset import MinimalPairSet
from .parallel import (
    BUNDLED_LANGUAGES,
    DESIGNS,
    LANGUAGE_NAMES,
    OTHER_CORPORA,
    SOURCES,
    PairSet,
    available_languages,
    bundled_corpus,
    bundled_texts,
    check_source,
    derangement,
    describe_other,
    describe_source,
    flores_texts,
    formal_corpus,
    make_pairs,
    max_pairs,
    other_files,
    other_languages,
    other_texts,
    source_files,
    split_texts,
    tatoeba_pairs,
    texts,
    translation_pairs,
)
from .tasks import TASKS, XCOPA_LANGUAGES, ChoiceTask, translation_task, xcopa_task

__all__ = [
    "BUNDLED_LANGUAGES",
    "TASKS",
    "XCOPA_LANGUAGES",
    "ChoiceTask",
    "DESIGNS",
    "JBLIMP_PHENOMENA",
    "LANGUAGE_NAMES",
    "OTHER_CORPORA",
    "PAIR_SOURCES",
    "SOURCES",
    "DataError",
    "MinimalPairSet",
    "PairSet",
    "available_languages",
    "available_paradigms",
    "blimp_pairs",
    "bundled_corpus",
    "bundled_texts",
    "check_pair_sources",
    "check_source",
    "dataset_provenance",
    "derangement",
    "describe_other",
    "describe_pairs",
    "describe_source",
    "fetch",
    "file_url",
    "flores_texts",
    "formal_corpus",
    "is_own",
    "jblimp_pairs",
    "languages_of",
    "load_minimal_pairs",
    "make_pairs",
    "pair_files",
    "pair_languages",
    "paradigm_languages",
    "manifest",
    "max_pairs",
    "other_files",
    "other_languages",
    "other_texts",
    "own",
    "own_pairs",
    "own_paradigm_sizes",
    "read_jsonl",
    "source_files",
    "split_texts",
    "tatoeba_pairs",
    "texts",
    "translation_pairs",
    "translation_task",
    "xcopa_task",
]

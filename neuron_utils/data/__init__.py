"""Data: the manifest of real data sets (checked fetch), parallel corpora and pairs, minimal pairs.

- :mod:`.downloads`: ``data/manifest.json``, :func:`fetch` (mirror or download, sha256-checked).
- :mod:`.parallel`: the bundled corpus, FLORES-200, Tatoeba; :class:`PairSet` and :func:`make_pairs`;
  other corpora for the cross-corpus design (:func:`other_texts`).
- :mod:`.minimal_pairs`: :class:`MinimalPairSet`, BLiMP and JBLiMP, :func:`load_minimal_pairs`.
- :mod:`.generator`: the book's own minimal-pair paradigms (templates and lexicon).
- :mod:`.tasks`: multilingual choice tasks (translation choice, XCOPA) scored by log-prob.
- :mod:`.own`: a reader's own parallel text and minimal pairs (a local file or a Hugging Face
  dataset, read with ``datasets`` and checked).

Names are imported from their submodule when first used (:mod:`neuron_utils.core.lazy`).
"""

from ..core.lazy import lazy_exports

# attribute -> the submodule that defines it
_LAZY = {
    "available_languages": "parallel",
    "available_paradigms": "minimal_pairs",
    "blimp_pairs": "minimal_pairs",
    "bundled_corpus": "parallel",
    "BUNDLED_LANGUAGES": "parallel",
    "bundled_texts": "parallel",
    "check_pair_sources": "minimal_pairs",
    "check_source": "parallel",
    "ChoiceTask": "tasks",
    "DataError": "downloads",
    "dataset_provenance": "downloads",
    "derangement": "parallel",
    "describe_other": "parallel",
    "describe_pairs": "minimal_pairs",
    "describe_source": "parallel",
    "DESIGNS": "parallel",
    "fetch": "downloads",
    "file_url": "downloads",
    "flores_texts": "parallel",
    "formal_corpus": "parallel",
    "is_own": "own",
    "jblimp_pairs": "minimal_pairs",
    "JBLIMP_PHENOMENA": "minimal_pairs",
    "LANGUAGE_NAMES": "parallel",
    "languages_of": "minimal_pairs",
    "load_minimal_pairs": "minimal_pairs",
    "make_pairs": "parallel",
    "manifest": "downloads",
    "max_pairs": "parallel",
    "MinimalPairSet": "pairset",
    "OTHER_CORPORA": "parallel",
    "other_files": "parallel",
    "other_languages": "parallel",
    "other_texts": "parallel",
    "own": "own",
    "own_pairs": "minimal_pairs",
    "own_paradigm_sizes": "minimal_pairs",
    "pair_files": "minimal_pairs",
    "pair_languages": "minimal_pairs",
    "PAIR_SOURCES": "minimal_pairs",
    "PairSet": "parallel",
    "paradigm_languages": "minimal_pairs",
    "read_jsonl": "downloads",
    "source_files": "parallel",
    "SOURCES": "parallel",
    "split_texts": "parallel",
    "TASKS": "tasks",
    "tatoeba_pairs": "parallel",
    "texts": "parallel",
    "translation_pairs": "parallel",
    "translation_task": "tasks",
    "XCOPA_LANGUAGES": "tasks",
    "xcopa_task": "tasks",
}
__getattr__, __dir__ = lazy_exports(__name__, _LAZY)
__all__ = sorted(_LAZY)

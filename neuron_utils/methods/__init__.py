"""Statistics on arrays, and the reusable steps chapters build on them (no model is loaded here).

- :mod:`.ranking`: average precision of neurons (tie-exact, vectorised), pair scores.
- :mod:`.selection`: permutation nulls of top-n statistics (the top-n mean AP, family-wise and
  false-discovery counts) with permutations that respect the pair design.
- :mod:`.logistic`: batched L2 logistic regression, solved exactly.
- :mod:`.similarity`: cosine (raw, centred), pair features, CV accuracy, translation retrieval.
- :mod:`.probes`: L0 Hard-Concrete mask probes, Welch t, Spearman.
- :mod:`.lape`: language activation probability entropy (Tang et al.).
- :mod:`.standardise`: feature standardisation for batched problems.
- :mod:`.langid`: language identification of generated text (py3langid).
- :mod:`.fluency`: repetition of generated text.
- :mod:`.bootstrap`: paired, stratified bootstrap of minimal-pair accuracies; :class:`Interval`
  and :class:`Comparison`, the typed values a summary holds.
- :mod:`.steering`: steering vectors (DiffMean, LAPE mean activations), their interventions,
  judged continuations, the scale chosen on held-out prompts.
- :mod:`.set_scoring`: the neuron sets chosen from sentence pairs (same and different meaning,
  task language, the magnitude control) and random sets matched to them.

Names are imported from their submodule when first used (:mod:`neuron_utils.core.lazy`).
"""

from ..core.lazy import lazy_exports

# attribute -> the submodule that defines it
_LAZY: dict[str, str] = {}  # submodules only: `from neuron_utils.methods import lape`
__getattr__, __dir__ = lazy_exports(__name__, _LAZY)
__all__ = sorted(_LAZY)

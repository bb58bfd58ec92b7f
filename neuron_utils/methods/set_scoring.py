"""Neuron sets chosen from L1/L2 sentence pairs (Tezuka & Inoue §3.4), and random sets matched
to them.

From last-token activations of a pair set, every neuron gets four scores (:class:`SetScores`):

- **same meaning**: average precision of its pair score, parallel vs non-parallel (chapter 2);
- **different meaning**: over the non-parallel pairs on which it is active on both sides
  (``|a| > epsilon``), the sum of ``|a_L1| + |a_L2|`` (:func:`different_meaning_scores`);
- **task language**: over the parallel pairs on which it is active on one language's side only,
  the sum of that side's ``|a|`` (:func:`one_sided_scores`), one score per language;
- **magnitude control**: mean ``|a|`` over every sentence, with no pairing (a set ranked by
  summed magnitude may simply be the model's largest neurons).

The top ``n`` of each score is a set (:meth:`SetScores.sets`); :func:`matched_random` draws a
random set with the same count per layer (and per ``|a|`` decile) as a set.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ..core.activations import TextActivations
from ..core.neurons import NeuronSet
from .ranking import neuron_ap
from .selection import mean_magnitude


def different_meaning_scores(a1: np.ndarray, a2: np.ndarray, epsilon: float) -> np.ndarray:
    """Summed ``|a1| + |a2|`` over the pairs where the neuron is active on both sides
    (``|a| > epsilon``): ``a1, a2 [pairs, L, N]`` (the two sides of non-parallel pairs) ->
    ``[L, N]``; 0 for a neuron never active on both sides."""
    m1, m2 = np.abs(a1), np.abs(a2)
    both = (m1 > epsilon) & (m2 > epsilon)
    return np.where(both, m1 + m2, 0).sum(0, dtype=np.float64)


def one_sided_scores(a_task: np.ndarray, a_other: np.ndarray, epsilon: float) -> np.ndarray:
    """Summed ``|a_task|`` over the pairs where the neuron is active on the task language's side
    and not on the other (``|a_task| > epsilon >= |a_other|``): ``[pairs, L, N]`` -> ``[L, N]``."""
    m = np.abs(a_task)
    only = (m > epsilon) & (np.abs(a_other) <= epsilon)
    return np.where(only, m, 0).sum(0, dtype=np.float64)


def top_positive(scores: np.ndarray, n: int) -> NeuronSet:
    """The ``n`` highest scores among those > 0 (fewer if fewer are positive); ties broken by
    position (layer, then neuron), as ``NeuronSet.top_n``."""
    return NeuronSet.top_n(scores, n) & NeuronSet(scores > 0)


@dataclass
class SetScores:
    """Per-neuron scores that rank each set (``[L, N]`` each)."""

    ap: np.ndarray  # average precision, parallel vs non-parallel
    different: np.ndarray  # different_meaning_scores on the non-parallel pairs
    only: dict[str, np.ndarray]  # language -> one_sided_scores on the parallel pairs
    magnitude: np.ndarray  # mean |activation| over every sentence

    def same_meaning(self, n: int) -> NeuronSet:
        """The ``n`` neurons of highest AP."""
        return NeuronSet.top_n(self.ap, n)

    def different_meaning(self, n: int) -> NeuronSet:
        """The ``n`` neurons of highest positive different-meaning score (fewer where fewer are
        ever active on both sides)."""
        return top_positive(self.different, n)

    def task_language(self, lang: str, n: int) -> NeuronSet:
        """The ``n`` neurons of highest positive one-sided score of ``lang``."""
        return top_positive(self.only[lang], n)

    def magnitude_control(self, n: int) -> NeuronSet:
        """The ``n`` neurons of largest mean ``|a|``."""
        return NeuronSet.top_n(self.magnitude, n)

    def sets(self, n: int) -> dict[str, NeuronSet]:
        """Every set of ``n`` neurons by name: ``same``, ``different``, ``only <lang>`` for each
        language, ``magnitude``."""
        return {
            "same": self.same_meaning(n),
            "different": self.different_meaning(n),
            **{f"only {lang}": self.task_language(lang, n) for lang in self.only},
            "magnitude": self.magnitude_control(n),
        }


def set_scores(ps: Any, acts: dict[str, TextActivations], site: str, epsilon: float) -> SetScores:
    """Every ranking score of a pair set ``ps`` (a :class:`~neuron_utils.data.parallel.PairSet`:
    ``l1``, ``l2``, ``l1_texts``, ``l2_texts``, ``pairs``, ``labels``) from its sentences'
    activations (``acts``: language -> :class:`~neuron_utils.core.activations.TextActivations`).
    The one-sided ("task language") scores use the parallel pairs, so that the two sides differ
    in language, not in content."""
    a1 = acts[ps.l1].rows(ps.l1_texts, site)  # [sentences, L, N]
    a2 = acts[ps.l2].rows(ps.l2_texts, site)
    parallel, other = ps.pairs[ps.labels == 1], ps.pairs[ps.labels == 0]
    p1, p2 = a1[parallel[:, 0]], a2[parallel[:, 1]]
    return SetScores(
        ap=neuron_ap(ps, acts, site),
        different=different_meaning_scores(a1[other[:, 0]], a2[other[:, 1]], epsilon),
        only={
            ps.l1: one_sided_scores(p1, p2, epsilon),
            ps.l2: one_sided_scores(p2, p1, epsilon),
        },
        magnitude=mean_magnitude(a1, a2),
    )


def matched_random(
    reference: NeuronSet,
    seed: int,
    outside: NeuronSet | None,
    fallback: NeuronSet | None = None,
    magnitude: np.ndarray | None = None,
) -> tuple[NeuronSet, int]:
    """A random set matched to ``reference``: ``(neurons, n_fallback)``.

    Without ``magnitude``: the same count per layer (``NeuronSet.random_matched``,
    ``n_fallback`` 0); with it (``[L, N]``, e.g. mean ``|a|``): the same count per layer and per
    decile of ``magnitude`` within the layer (``NeuronSet.random_magnitude_matched``, which
    also leaves ``reference`` out; ``n_fallback``: neurons taken from a neighbouring decile).
    Drawn outside ``outside`` (the union of every set compared, so that a control shares no
    neuron with any of them); where some layer has no room there, outside ``fallback`` instead.
    """

    def draw(exclude: NeuronSet | None) -> tuple[NeuronSet, int]:
        if magnitude is None:
            return NeuronSet.random_matched(reference, seed=seed, exclude=exclude), 0
        return NeuronSet.random_magnitude_matched(reference, magnitude, seed, exclude)

    try:
        return draw(outside)
    except ValueError:  # no room outside `outside` in some layer
        return draw(fallback)

"""Steering a model's output language, and judging what it then writes: the steps a chapter that
steers reuses.

- Steering vectors: :func:`diffmean_directions` (DiffMean: the difference of two languages' mean
  residual streams) and :func:`mean_activation` (each neuron's mean activation in a language,
  what LAPE steering sets a language's neurons to).
- Interventions from them: :func:`activate` (a language's neurons set to a multiple of their mean
  activation) and :func:`swap` (the source language's neurons zeroed first, the LAPE paper's case
  study); DiffMean adds its vector with :class:`~neuron_utils.core.interventions.ResidualAddition`.
- Prompts: :func:`half_sentence_prompts`.
- Judging continuations: :func:`judge_texts` (the language identified; fluent by the text's own
  perplexity and its repetition).
- Choosing a scale without flattering it: :func:`best_scale`, :func:`held_out_choice` (the scale
  chosen on one half of the prompts, scored on the other) and :func:`winner` (paired intervals
  over prompts).

The scale choice reads a table of judged continuations, one row each, with the columns
``scale``, ``prompt`` (the prompt's index) and the verdicts of ``SHARES``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..core import lm_scoring
from ..core.activations import collect
from ..core.interventions import Intervention
from ..core.models import LoadedModel
from ..core.neurons import NeuronSet
from . import bootstrap, fluency, langid

# the verdicts on a continuation: in the target language and fluent ("success"), and each alone
SHARES = ("success", "in target", "fluent")


# --------------------------------------------------------------------------- steering vectors


def mean_activation(statistics: Mapping[str, np.ndarray]) -> np.ndarray:
    """Each neuron's mean activation over the tokens counted, ``[L, N]``: one language's token
    statistics (``core.activations.token_statistics_at``), ``sum / tokens``."""
    return statistics["sum"] / statistics["tokens"]


def diffmean_directions(
    model: LoadedModel,
    sentences: Mapping[str, Sequence[str]],
    source: str,
    targets: Sequence[str],
    layer: int,
    batch_size: int = 32,
) -> dict[str, np.ndarray]:
    """DiffMean steering vectors: the mean residual stream after ``layer`` over the sentences of
    each target (each sentence's token mean, BOS left out) minus that of ``source``:
    ``{target: float32 [d_model]}``."""
    means = {
        lang: collect(model, sentences[lang], ["residual"], "mean", [layer], batch_size)[
            "residual"
        ][:, 0].mean(0)
        for lang in dict.fromkeys([source, *targets])
    }
    return {target: means[target] - means[source] for target in targets}


# --------------------------------------------------------------------------- interventions


def activate(neurons: NeuronSet, mean: np.ndarray, scale: float, site: str) -> Intervention:
    """``neurons`` set to ``scale`` x their mean activation ``mean [L, N]`` (in float32, the
    dtype interventions hold) at every position, at neuron site ``site``."""
    return Intervention(neurons, "set", (scale * mean).astype(np.float32), site=site)


def swap(
    source: NeuronSet, target: NeuronSet, mean: np.ndarray, scale: float, site: str
) -> list[Intervention]:
    """The ``source`` language's neurons zeroed, then the ``target``'s set as :func:`activate`
    sets them: in this order, a neuron of both languages ends set."""
    return [Intervention(source, "zero", site=site), activate(target, mean, scale, site)]


# --------------------------------------------------------------------------- prompts and judging


def half_sentence_prompts(texts: Sequence[str], n: int, seed: int) -> list[str]:
    """``n`` seeded sentences of ``texts`` cut after their first half (words, or characters for
    text without spaces), at least two words or characters each."""
    rng = np.random.default_rng(seed)
    return [
        " ".join(t.split()[: max(2, len(t.split()) // 2)]) if " " in t else t[: max(2, len(t) // 2)]
        for t in rng.choice(texts, size=min(n, len(texts)), replace=False)
    ]


def judge_texts(
    model: LoadedModel,
    texts: Sequence[str],
    targets: Sequence[str],
    languages: Sequence[str],
    held_out_perplexity: Mapping[str, float],
    max_ratio: float,
    max_repetition: float,
) -> pd.DataFrame:
    """One row per text (``targets``: the language each should be in): the language py3langid
    identifies among those of ``languages`` it knows, the perplexity of the text alone under
    ``model`` (no intervention), its ratio to the ``held_out_perplexity`` of the identified
    language (NaN for a language without one), the share of repeated token 3-grams, and the
    verdicts ``in target``, ``fluent`` (ratio at most ``max_ratio`` and repetition at most
    ``max_repetition``; an empty text is not fluent) and ``success`` (both)."""
    # an empty text is scored as one space (it has no perplexity: NaN below)
    nll, counts = lm_scoring.sentence_nll(model, [t if t.strip() else " " for t in texts])
    identified = langid.identify(texts, [g for g in languages if g in langid.known_languages()])
    rows = []
    for text, target, lang, loss, count in zip(
        texts, targets, identified, nll, counts, strict=True
    ):
        tokens = model.tokenizer(text, add_special_tokens=False)["input_ids"]
        ppl = float(np.exp(loss / count)) if count and text.strip() else np.nan
        ratio = ppl / held_out_perplexity[lang] if lang in held_out_perplexity else np.nan
        repetition = fluency.repeated_ngram_share(tokens)
        fluent = bool(ratio <= max_ratio and repetition <= max_repetition)  # NaN: not fluent
        rows.append(
            {
                "identified": lang,
                "perplexity": ppl,
                "perplexity ratio": ratio,
                "repetition": repetition,
                "in target": lang == target,
                "fluent": fluent,
                "success": lang == target and fluent,
            }
        )
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- the scale


def best_scale(judged: pd.DataFrame, prompts: np.ndarray) -> float:
    """The scale with the highest success share over the continuations of ``prompts`` (indices)
    in ``judged`` (one method's judged continuations, every target), the smaller on a tie."""
    rows = judged[judged["prompt"].isin(prompts)]
    share = rows.groupby("scale", sort=True)["success"].mean()
    return float(share.index[int(np.argmax(share.values))])


def prompt_halves(prompts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The prompts (indices) with an even index, and those with an odd one."""
    prompts = np.sort(np.asarray(prompts))
    return prompts[prompts % 2 == 0], prompts[prompts % 2 == 1]


@dataclass(frozen=True)
class HeldOut:
    """One method's scale chosen on one half of the prompts and scored on the other half
    (:func:`held_out_choice`)."""

    best_scale: float  # chosen on every prompt: in-sample, what a figure of the sweep shows
    half_scales: tuple[float, float]  # chosen on the even prompts, and on the odd ones
    shares: pd.DataFrame  # prompt -> held-out share of its continuations, a column per SHARES


def held_out_choice(judged: pd.DataFrame) -> HeldOut:
    """Cross-fitting of one method's scale: the prompts with an even index choose the scale
    (:func:`best_scale`) under which the odd ones are scored, and the other way round, so that
    no continuation is scored under a scale its own prompt helped choose. ``judged``: the
    method's judged continuations (every target and scale)."""
    prompts = np.sort(judged["prompt"].unique())
    halves = prompt_halves(prompts)
    chosen = [best_scale(judged, half) for half in halves]
    scored = pd.concat(
        [
            judged[(judged["scale"] == scale) & judged["prompt"].isin(other)]
            for scale, other in zip(chosen, halves[::-1], strict=True)
        ]
    )
    return HeldOut(
        best_scale(judged, prompts),
        (chosen[0], chosen[1]),
        scored.groupby("prompt")[list(SHARES)].mean(),
    )


def winner(success: Mapping[str, np.ndarray], n_boot: int, seed: int = 0) -> str | None:
    """The method (a key of ``success``: its held-out success per prompt, the same prompts in
    the same order for every method) with the highest mean success whose paired difference
    from every other method has a 95 % bootstrap interval over prompts above 0; None where the
    leader's does not (a tie keeps the order of ``success``)."""
    order = sorted(success, key=lambda method: -float(np.mean(success[method])))
    leader = order[0]
    beats = [
        bootstrap.mean_ci(success[leader] - success[other], n_boot, seed).compare()
        is bootstrap.Comparison.ABOVE
        for other in order[1:]
    ]
    return leader if all(beats) else None

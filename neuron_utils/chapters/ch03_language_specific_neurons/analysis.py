"""Chapter 3's measurement: token statistics and LAPE at both neuron sites, the thresholds'
sensitivity, the deactivation perplexity matrix, and the steering sweep with each continuation
judged (the reusable steering steps are in :mod:`neuron_utils.methods.steering`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ... import data
from ...core import lm_scoring
from ...core.activations import token_statistics_at
from ...core.interventions import AnyIntervention, Intervention, ResidualAddition
from ...core.models import LoadedModel
from ...core.neurons import NeuronSet
from ...methods import bootstrap, lape, steering
from .parameters import NEURON_SITES, Parameters

# the thresholds of LAPE: parameter -> argument of lape.select
THRESHOLDS = {
    "TOP_RATE": "top_rate",
    "FILTER": "filter_quantile",
    "ACTIVATION_BAR": "activation_bar_quantile",
}
# the values each threshold takes, one at a time, in the sensitivity table
SENSITIVITY = {
    "TOP_RATE": [0.005, 0.01, 0.02],
    "FILTER": [0.9, 0.95, 0.99],
    "ACTIVATION_BAR": [0.9, 0.95, 0.99],
}
UNCHANGED = "unchanged"
# the ways of steering the output language, and the slugs of their summary keys
# "LAPE swap" is the paper's case study: the source language's neurons deactivated and the
# target's activated; "LAPE neurons" only activates the target's
STEERING_METHODS = {"LAPE neurons": "lape", "LAPE swap": "swap", "DiffMean": "diffmean"}
RELATED_PAIRS = (("zh", "ja"), ("fr", "es"))  # the pairs Tang et al. name
N_BOOT = 2000  # bootstrap replicates over held-out sentences and over prompts

# (method, target, scale): a condition of the steering sweep; unchanged: (UNCHANGED, "", 0.0)
SweepKey = tuple[str, str, float]
# deactivated -> evaluated language -> per-sentence (summed NLL, predicted tokens)
Losses = dict[str, dict[str, tuple[np.ndarray, np.ndarray]]]


def other_site(site: str) -> str:
    return "neurons" if site == "gate" else "gate"


# --------------------------------------------------------------------------- LAPE


def activation_probabilities(stats: dict[str, dict[str, np.ndarray]]) -> np.ndarray:
    """Share of tokens on which each neuron is > 0, per language: ``[K, L, N]`` (languages in
    the order of ``stats``)."""
    return np.stack([s["positive"] / s["tokens"] for s in stats.values()])


def threshold_sensitivity(
    prob: np.ndarray,
    languages: list[str],
    chosen: lape.LapeSelection,
    top_rate: float,
    filter_quantile: float,
    activation_bar: float,
) -> list[dict[str, Any]]:
    """LAPE with one threshold at a time set to each value of :data:`SENSITIVITY` (the others as
    chosen): selected neurons, language assignments and Jaccard overlap with ``chosen``."""
    rows = []
    for name, values in SENSITIVITY.items():
        for value in values:
            args = {
                "top_rate": top_rate,
                "filter_quantile": filter_quantile,
                "activation_bar_quantile": activation_bar,
            }
            args[THRESHOLDS[name]] = value
            s = lape.select(prob, languages, **args)
            rows.append(
                {
                    "parameter": name,
                    "value": value,
                    "selected": len(s.selected),
                    "assignments": sum(len(n) for n in s.by_language.values()),
                    "overlap with chosen": s.selected.overlap(chosen.selected),
                }
            )
    return rows


# --------------------------------------------------------------------------- deactivation


def deactivation_losses(
    model: LoadedModel,
    held_out: dict[str, list[str]],
    selection: lape.LapeSelection,
    site: str,
    seed: int,
) -> Losses:
    """Summed NLL and predicted tokens of each held-out sentence, ``deactivated -> evaluated
    language -> ([n], [n])``, with nothing ("none"), a random matched set ("random": as many
    neurons per layer as the union of all languages' sets, outside it) or one language's
    neurons zeroed at ``site`` at all positions."""
    languages = list(held_out)
    everyone = NeuronSet(np.logical_or.reduce([s.mask for s in selection.by_language.values()]))
    masks: dict[str, NeuronSet | None] = {
        "none": None,
        "random": NeuronSet.random_matched(everyone, seed=seed, exclude=everyone),
    }
    masks.update({lang: selection.by_language[lang] for lang in languages})
    return {
        row: lm_scoring.group_nll(
            model, held_out, [] if m is None else [Intervention(m, "zero", site=site)]
        )
        for row, m in masks.items()
    }


def perplexity_table(losses: Losses) -> pd.DataFrame:
    """Perplexity (``exp`` of the mean token NLL over a language's held-out sentences):
    deactivated (rows) x evaluated language (columns)."""
    ppl = pd.DataFrame(
        {
            row: {lang: float(np.exp(nll.sum() / n.sum())) for lang, (nll, n) in by_lang.items()}
            for row, by_lang in losses.items()
        }
    ).T
    ppl.index.name = "deactivated"
    return ppl


def perplexity_change_replicates(losses: Losses, n_boot: int, seed: int) -> np.ndarray:
    """Bootstrap replicates of the perplexity change (%) relative to "none", the held-out
    sentences of each evaluated language resampled with replacement and the same draws used for
    every deactivated set (paired): ``[rows of losses, evaluated languages, n_boot]``."""
    rows = list(losses)
    languages = list(losses["none"])
    out = np.empty((len(rows), len(languages), n_boot))
    for k, lang in enumerate(languages):
        nll = np.array([losses[row][lang][0] for row in rows])
        tokens = np.array([losses[row][lang][1] for row in rows])
        log_ppl = bootstrap.ratio_replicates(nll, tokens, n_boot, seed + k)
        out[:, k] = 100 * np.expm1(log_ppl - log_ppl[rows.index("none")])
    return out


def related_directions(languages: list[str]) -> list[tuple[str, str]]:
    """Both directions (deactivated, evaluated) of every related pair among ``languages``."""
    return [
        (a, b)
        for pair in RELATED_PAIRS
        if set(pair) <= set(languages)
        for a, b in (pair, pair[::-1])
    ]


def related_change(change: pd.DataFrame, languages: list[str]) -> float:
    """The smallest perplexity change (%) of one language of a related pair with the other's
    neurons deactivated, over both directions of every pair in ``languages`` (nan: none)."""
    changes = [change.loc[a, b] for a, b in related_directions(languages)]
    return float(min(changes)) if changes else float("nan")


def comparison_replicates(
    losses: Losses, languages: list[str], n_boot: int, seed: int
) -> dict[str, np.ndarray]:
    """Bootstrap replicates over held-out sentences (:func:`perplexity_change_replicates`,
    resampled within each evaluated language, paired across deactivated sets) of the perplexity
    matrix's comparisons, ``[n_boot]`` each: ``diag_minus_offdiag`` (the diagonal's mean change
    minus the off-diagonal mean), ``diag_beyond_twice`` (the diagonal's mean minus twice the
    larger of the off-diagonal mean and the random set's mean), ``related_ppl_change_min``
    (:func:`related_change`) and ``related_minus_baseline`` (that minus the larger of the median
    off-diagonal cell and the random set's mean change: above 0 when related languages interfere
    beyond an unrelated one or a random set; NaN without a related pair in ``languages``)."""
    rows, evaluated = list(losses), list(losses["none"])
    reps = perplexity_change_replicates(losses, n_boot, seed)  # [rows, evaluated, B]
    # deactivated x evaluated x B, both in the order of ``languages``
    square = reps[[rows.index(lang) for lang in languages]][
        :, [evaluated.index(lang) for lang in languages]
    ]
    random = reps[rows.index("random")].mean(0)
    off = ~np.eye(len(languages), dtype=bool)
    diagonal = square[~off].mean(0)
    pairs = [(languages.index(a), languages.index(b)) for a, b in related_directions(languages)]
    related = np.min([square[a, b] for a, b in pairs], axis=0) if pairs else np.full(n_boot, np.nan)
    return {
        "diag_minus_offdiag": diagonal - square[off].mean(0),
        "diag_beyond_twice": diagonal - 2 * np.maximum(square[off].mean(0), random),
        "related_ppl_change_min": related,
        "related_minus_baseline": related - np.maximum(np.median(square[off], axis=0), random),
    }


# --------------------------------------------------------------------------- steering


def steering_name(target: str) -> str:
    return f"→ {target}"


def steering_interventions(
    method: str,
    target: str,
    scale: float,
    mean_activation: dict[str, np.ndarray],
    selection: lape.LapeSelection,
    directions: dict[str, np.ndarray],
    p: Parameters,
) -> list[AnyIntervention]:
    """LAPE neurons: the target's neurons set to ``scale`` x their mean activation in the target
    language (``[layers, neurons]``) at every position; LAPE swap: the same after zeroing the
    source language's neurons. DiffMean: ``scale`` x the target's direction added to the
    residual stream after ``DIFFMEAN_LAYER`` at every position."""
    neurons = selection.by_language
    if method == "LAPE neurons":
        return [steering.activate(neurons[target], mean_activation[target], scale, p.SITE)]
    if method == "LAPE swap":
        source = neurons[p.STEER_SOURCE]
        return steering.swap(source, neurons[target], mean_activation[target], scale, p.SITE)
    if method == "DiffMean":
        return [ResidualAddition(p.DIFFMEAN_LAYER, directions[target], scale)]
    raise ValueError(f"unknown steering method {method!r}; allowed: {', '.join(STEERING_METHODS)}")


def method_scales(p: Parameters) -> dict[str, list[float]]:
    return {
        "LAPE neurons": p.STEER_SCALES,
        "LAPE swap": p.STEER_SCALES,
        "DiffMean": p.DIFFMEAN_SCALES,
    }


def steering_sweep(
    model: LoadedModel,
    prompts: list[str],
    stats: dict[str, dict[str, np.ndarray]],
    selection: lape.LapeSelection,
    directions: dict[str, np.ndarray],
    p: Parameters,
) -> dict[SweepKey, list[str]]:
    """Greedy continuations of ``prompts`` under each (method, target, scale) of the sweep, and
    unchanged (key ``(UNCHANGED, "", 0.0)``)."""
    mean_activation = {t: steering.mean_activation(stats[t]) for t in p.STEER_TARGETS}
    conditions: dict[SweepKey, list[AnyIntervention]] = {(UNCHANGED, "", 0.0): []}
    for method, scales in method_scales(p).items():
        for target in p.STEER_TARGETS:
            for scale in scales:
                conditions[(method, target, scale)] = steering_interventions(
                    method, target, scale, mean_activation, selection, directions, p
                )
    # every condition's copy of the prompts in one generation batch (as many as fit)
    return lm_scoring.generate_under(model, prompts, conditions, p.MAX_NEW_TOKENS)


def judge_continuations(
    model: LoadedModel,
    outputs: dict[SweepKey, list[str]],
    held_out_perplexity: dict[str, float],
    p: Parameters,
) -> pd.DataFrame:
    """One row per continuation of the sweep: method, target, scale, prompt (its index), then
    what :func:`~neuron_utils.methods.steering.judge_texts` gives (identified language,
    perplexity, its ratio to the held-out perplexity, repetition, ``in target``, ``fluent``
    under ``FLUENT_PERPLEXITY_RATIO`` and ``FLUENT_REPETITION``, ``success``)."""
    keys = [(*key, k) for key, texts in outputs.items() for k in range(len(texts))]
    judged = steering.judge_texts(
        model,
        [outputs[(method, target, scale)][k] for method, target, scale, k in keys],
        [target for _, target, _, _ in keys],
        p.LANGUAGES,
        held_out_perplexity,
        p.FLUENT_PERPLEXITY_RATIO,
        p.FLUENT_REPETITION,
    )
    conditions = pd.DataFrame(keys, columns=["method", "target", "scale", "prompt"])
    return pd.concat([conditions, judged], axis=1)


def steered(judged: pd.DataFrame) -> pd.DataFrame:
    """The judged continuations of the steering methods (the unchanged ones left out)."""
    return judged[judged["method"] != UNCHANGED]


def sweep_shares(judged: pd.DataFrame) -> pd.DataFrame:
    """Per method and scale, shares over all targets and prompts: in the target language,
    fluent, both ("success"); and the median perplexity ratio and repetition."""
    return (
        steered(judged)
        .groupby(["method", "scale"], sort=False)
        .agg(
            **{
                "in target": ("in target", "mean"),
                "fluent": ("fluent", "mean"),
                "success": ("success", "mean"),
                "median perplexity ratio": ("perplexity ratio", "median"),
                "median repetition": ("repetition", "median"),
            }
        )
        .astype(float)
    )


# --------------------------------------------------------------------------- the chapter


@dataclass
class Results:
    """Everything chapter 3's figures, tables and summary read."""

    parameters: Parameters
    # language -> (statistics sentences, held-out sentences)
    split: dict[str, tuple[list[str], list[str]]]
    stats: dict[str, dict[str, dict[str, np.ndarray]]]  # site -> language -> token statistics
    prob: dict[str, np.ndarray]  # site -> activation probabilities [K, L, N]
    selections: dict[str, lape.LapeSelection]  # site -> LAPE selection (both sites)
    sensitivity: list[dict[str, Any]]  # rows of the threshold-sensitivity table (at SITE)
    perplexity: pd.DataFrame  # deactivated (none, random, languages) x evaluated language
    losses: Losses  # deactivated -> evaluated language -> per-sentence (NLL, tokens)
    prompts: list[str]
    sweep: dict[SweepKey, list[str]]  # (method, target, scale) -> continuations
    judged: pd.DataFrame  # one row per continuation of the sweep (judge_continuations)
    directions: dict[str, np.ndarray]  # target -> DiffMean vector [d_model]

    def examples(self) -> dict[str, SweepKey]:
        """The example conditions and their sweep keys: unchanged, and each target's LAPE
        neurons at ``STEER_SCALE``."""
        p = self.parameters
        return {
            UNCHANGED: (UNCHANGED, "", 0.0),
            **{steering_name(t): ("LAPE neurons", t, p.STEER_SCALE) for t in p.STEER_TARGETS},
        }

    @property
    def outputs(self) -> dict[str, list[str]]:
        """Condition of :meth:`examples` -> its continuations."""
        return {name: self.sweep[key] for name, key in self.examples().items()}

    @property
    def identified(self) -> dict[str, list[str]]:
        """Condition of :meth:`examples` -> language of each continuation."""
        judged = self.judged.set_index(["method", "target", "scale"]).sort_values("prompt")
        return {name: list(judged.loc[key, "identified"]) for name, key in self.examples().items()}

    def unchanged_fluent(self) -> float:
        """Share of the unsteered continuations the fluency rule passes (its own baseline)."""
        return float(self.judged.loc[self.judged["method"] == UNCHANGED, "fluent"].mean())

    @property
    def selection(self) -> lape.LapeSelection:
        """The selection at ``SITE``."""
        return self.selections[self.parameters.SITE]

    @property
    def n_layers(self) -> int:
        return self.prob[self.parameters.SITE].shape[1]

    def shared(self) -> np.ndarray:
        """Neurons shared by each pair of languages (diagonal: the language's own count):
        ``[K, K]``."""
        by_language = self.selection.by_language
        languages = self.parameters.LANGUAGES
        return np.array(
            [[len(by_language[a] & by_language[b]) for b in languages] for a in languages]
        )

    def perplexity_change(self) -> pd.DataFrame:
        """Change of perplexity relative to "none", in %."""
        return 100 * (self.perplexity / self.perplexity.loc["none"] - 1)

    def steering_share(self) -> pd.DataFrame:
        """Per condition: share of continuations identified as the target (NaN when unchanged)
        and as the source language."""
        source = self.parameters.STEER_SOURCE
        return pd.DataFrame(
            {
                name: {
                    "share identified as target": np.mean([lang == name[2:] for lang in ids])
                    if name != UNCHANGED
                    else np.nan,
                    f"share in {source}": np.mean([lang == source for lang in ids]),
                }
                for name, ids in self.identified.items()
            }
        ).T


def lape_at_both_sites(
    model: LoadedModel, split: dict[str, tuple[list[str], list[str]]], p: Parameters
) -> tuple[dict, dict[str, np.ndarray], dict[str, lape.LapeSelection]]:
    """Token statistics of each language's statistics sentences at both neuron sites (one pass
    per language), their activation probabilities and the LAPE selection at each site."""
    by_lang = {
        lang: token_statistics_at(model, split[lang][0], NEURON_SITES, p.BATCH_SIZE)
        for lang in p.LANGUAGES
    }
    stats = {site: {lang: by_lang[lang][site] for lang in p.LANGUAGES} for site in NEURON_SITES}
    prob = {site: activation_probabilities(stats[site]) for site in stats}
    selections = {
        site: lape.select(prob[site], p.LANGUAGES, p.TOP_RATE, p.FILTER, p.ACTIVATION_BAR)
        for site in (p.SITE, other_site(p.SITE))
    }
    return stats, prob, selections


def analyse(model: LoadedModel, p: Parameters) -> Results:
    """Split texts, token statistics and LAPE at both sites, threshold sensitivity, the
    deactivation perplexity matrix and the steering generations with their languages."""
    split = {
        lang: data.split_texts(
            p.DATA_SOURCE, lang, p.N_STATS_SENTENCES, p.N_EVAL_SENTENCES, p.SEED, p.DATA_COLUMNS
        )
        for lang in p.LANGUAGES
    }
    stats, prob, selections = lape_at_both_sites(model, split, p)
    chosen = selections[p.SITE]
    sensitivity = threshold_sensitivity(
        prob[p.SITE], p.LANGUAGES, chosen, p.TOP_RATE, p.FILTER, p.ACTIVATION_BAR
    )
    losses = deactivation_losses(
        model, {lang: split[lang][1] for lang in p.LANGUAGES}, chosen, p.SITE, p.SEED
    )
    ppl = perplexity_table(losses)
    prompts = steering.half_sentence_prompts(split[p.STEER_SOURCE][1], p.N_PROMPTS, p.SEED)
    directions = steering.diffmean_directions(
        model,
        {lang: split[lang][0] for lang in p.LANGUAGES},
        p.STEER_SOURCE,
        p.STEER_TARGETS,
        p.DIFFMEAN_LAYER,
        p.BATCH_SIZE,
    )
    sweep = steering_sweep(model, prompts, stats[p.SITE], chosen, directions, p)
    judged = judge_continuations(model, sweep, ppl.loc["none"].to_dict(), p)
    return Results(
        p,
        split,
        stats,
        prob,
        selections,
        sensitivity,
        ppl,
        losses,
        prompts,
        sweep,
        judged,
        directions,
    )

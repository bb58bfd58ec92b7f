"""Chapter 3: language-specific neurons (LAPE), their deactivation and steering.

:func:`analyse` splits each language's sentences into statistics and held-out sets, counts
activation probabilities at both neuron sites with streaming token statistics, selects LAPE
neurons at both sites (and around the chosen thresholds), measures the perplexity matrix with
each language's neurons zeroed (plus a random set of the same per-layer counts), and steers
greedy continuations towards target languages in two ways over a sweep of scales: through the
target's LAPE neurons (Tang et al.) and by adding a difference of means to the residual stream
(DiffMean, the simpler rival). :func:`summarise` gives every number the chapter quotes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np
import pandas as pd
from scipy import stats as scipy_stats

from ... import data
from ...kit import plotting
from ...kit.spec import ChapterSpec
from ...kit.parameters import (
    ChapterParameters,
    check_choice,
    check_int,
    check_layer,
    check_number,
    check_numbers,
    check_source,
    check_subset,
)
from ...core import lm_scoring
from ...core.activations import collect, token_statistics_at
from ...core.interventions import AnyIntervention, Intervention, ResidualAddition
from ...core.models import LoadedModel
from ...core.neurons import NeuronSet, edge_layers
from ...methods import bootstrap, fluency, langid, lape

DATA_SOURCES = ("bundled", "flores")  # multi-parallel: every language has the same sentences
# gate: act(gate(x)) > 0, as LAPE's code; neurons: act(gate(x)) * up(x) > 0
NEURON_SITES = ("gate", "neurons")
THRESHOLDS = {
    "TOP_RATE": "top_rate",
    "FILTER": "filter_quantile",
    "ACTIVATION_BAR": "activation_bar_quantile",
}
SENSITIVITY = {
    "TOP_RATE": [0.005, 0.01, 0.02],
    "FILTER": [0.9, 0.95, 0.99],
    "ACTIVATION_BAR": [0.9, 0.95, 0.99],
}
UNCHANGED = "unchanged"
# the two ways of steering the output language, and the slugs of their summary keys
# "LAPE swap" is the paper's case study: the source language's neurons deactivated and the
# target's activated; "LAPE neurons" only activates the target's
STEERING_METHODS = {"LAPE neurons": "lape", "LAPE swap": "swap", "DiffMean": "diffmean"}
N_BOOT = 2000  # bootstrap replicates over prompts


@dataclass(frozen=True)
class Parameters(ChapterParameters):
    """Chapter 3's parameters (defaults: the ``quick`` profile)."""

    DATA_SOURCE: str = "bundled"  # bundled | flores | own .tsv/.csv/.jsonl/.parquet | hf:<id>
    # an own table's columns where they are not named by language code: {"ja": "japanese"}
    DATA_COLUMNS: dict[str, str] = field(default_factory=dict)
    LANGUAGES: list[str] = field(
        default_factory=lambda: ["en", "ja", "nl", "ko", "it", "zh", "fr", "es"]
    )
    N_STATS_SENTENCES: int = 150  # sentences per language for activation probabilities
    N_EVAL_SENTENCES: int = 12  # held-out sentences per language for perplexity
    SITE: str = "gate"  # gate | neurons
    TOP_RATE: float = 0.01
    FILTER: float = 0.95
    ACTIVATION_BAR: float = 0.95
    STEER_SOURCE: str = "en"  # language of the prompts
    STEER_TARGETS: list[str] = field(default_factory=lambda: ["fr", "ja", "ko"])
    STEER_SCALE: float = 4.0  # multiple of the target language's mean activation
    # the sweep of both methods: LAPE, x the mean activation (must include STEER_SCALE);
    # DiffMean, x the difference of the two languages' mean residual streams
    STEER_SCALES: list[float] = field(default_factory=lambda: [1.0, 2.0, 4.0, 8.0])
    DIFFMEAN_LAYER: int = 12  # residual stream after this layer (two thirds of the depth)
    DIFFMEAN_SCALES: list[float] = field(default_factory=lambda: [0.5, 1.0, 2.0, 4.0, 8.0])
    # a continuation is fluent when its perplexity (alone, unsteered model) is at most this
    # multiple of the held-out perplexity of its language, and it repeats few token 3-grams
    FLUENT_PERPLEXITY_RATIO: float = 3.0
    FLUENT_REPETITION: float = 0.2
    N_PROMPTS: int = 8
    MAX_NEW_TOKENS: int = 20

    CHAPTER: ClassVar[str] = "03"
    # LAPE paper languages on FLORES-200 devtest (1012 sentences each)
    PAPER: ClassVar[dict[str, Any]] = {
        "DATA_SOURCE": "flores",
        "LANGUAGES": ["en", "zh", "fr", "es", "vi", "id", "ja"],
        "N_STATS_SENTENCES": 900,
        "N_EVAL_SENTENCES": 100,
        "STEER_TARGETS": ["zh", "fr", "ja"],
        "N_PROMPTS": 24,  # 72 steered continuations per method and scale
    }

    def check_data(self) -> None:
        check_source("DATA_SOURCE", self.DATA_SOURCE, self.DATA_COLUMNS, DATA_SOURCES)
        check_subset(
            f"LANGUAGES (of the {self.DATA_SOURCE} data)",
            self.LANGUAGES,
            data.available_languages(self.DATA_SOURCE, self.DATA_COLUMNS),
            minimum=2,
        )
        available = min(
            len(data.texts(self.DATA_SOURCE, lang, self.DATA_COLUMNS)) for lang in self.LANGUAGES
        )
        if self.N_STATS_SENTENCES + self.N_EVAL_SENTENCES > available:
            raise ValueError(
                f"N_STATS_SENTENCES + N_EVAL_SENTENCES = {self.N_STATS_SENTENCES + self.N_EVAL_SENTENCES} "
                f"is more than the {self.DATA_SOURCE} data has per language ({available})"
            )

    def check(self) -> None:
        name = f"LANGUAGES (of the {self.DATA_SOURCE} data)"
        if data.is_own(self.DATA_SOURCE):  # its languages are known once it is read
            check_subset(name, self.LANGUAGES, self.LANGUAGES, minimum=2)
        else:  # a built-in source's languages are known without reading it
            check_source("DATA_SOURCE", self.DATA_SOURCE, self.DATA_COLUMNS, DATA_SOURCES)
            check_subset(name, self.LANGUAGES, data.available_languages(self.DATA_SOURCE), 2)
        check_int("N_STATS_SENTENCES", self.N_STATS_SENTENCES, 1)
        check_int("N_EVAL_SENTENCES", self.N_EVAL_SENTENCES, 1)
        check_choice("SITE", self.SITE, NEURON_SITES)
        for name in THRESHOLDS:
            check_number(name, getattr(self, name), 0.0, 1.0, low_open=True)
        check_choice("STEER_SOURCE (one of LANGUAGES)", self.STEER_SOURCE, self.LANGUAGES)
        check_subset("STEER_TARGETS (of LANGUAGES)", self.STEER_TARGETS, self.LANGUAGES)
        check_subset(
            "STEER_SOURCE and STEER_TARGETS (languages py3langid identifies)",
            [self.STEER_SOURCE, *self.STEER_TARGETS],
            langid.known_languages(),
        )
        if not self.STEER_SCALE > 0:
            raise ValueError(f"STEER_SCALE={self.STEER_SCALE!r} must be a positive number")
        check_numbers("STEER_SCALES", self.STEER_SCALES, 0.0, 1000.0)
        if self.STEER_SCALE not in self.STEER_SCALES:
            raise ValueError(
                f"STEER_SCALE={self.STEER_SCALE!r} must be one of STEER_SCALES={self.STEER_SCALES!r} "
                "(its continuations are the examples of the sweep)"
            )
        check_layer("DIFFMEAN_LAYER", self.DIFFMEAN_LAYER, self.MODEL)
        check_numbers("DIFFMEAN_SCALES", self.DIFFMEAN_SCALES, 0.0, 1000.0)
        check_number("FLUENT_PERPLEXITY_RATIO", self.FLUENT_PERPLEXITY_RATIO, 1.0, 1000.0)
        check_number("FLUENT_REPETITION", self.FLUENT_REPETITION, 0.0, 1.0)
        # prompts are held-out sentences
        # the steering scale is chosen on half of the prompts and scored on the other half
        check_int("N_PROMPTS", self.N_PROMPTS, 2, self.N_EVAL_SENTENCES)
        check_int("MAX_NEW_TOKENS", self.MAX_NEW_TOKENS, 1)

    def data_files(self) -> list[tuple[str, str]]:
        return data.source_files(self.DATA_SOURCE, self.LANGUAGES)

    def describe_data(self) -> list[dict[str, Any]]:
        return data.describe_source(self.DATA_SOURCE, self.LANGUAGES, self.DATA_COLUMNS)


# the harness's settings for this chapter (smoke and golden sizes, figures, cost)
SPEC = ChapterSpec(
    tiny={
        "LANGUAGES": ["en", "fr", "ja"],
        "N_STATS_SENTENCES": 24,
        "N_EVAL_SENTENCES": 4,
        "STEER_TARGETS": ["fr"],
        "STEER_SCALES": [4.0],
        "DIFFMEAN_SCALES": [1.0, 4.0],
        "N_PROMPTS": 2,
        "MAX_NEW_TOKENS": 4,
    },
    golden={
        "LANGUAGES": ["en", "fr", "ja"],
        "N_STATS_SENTENCES": 20,
        "N_EVAL_SENTENCES": 6,
        "STEER_TARGETS": ["fr", "ja"],
        "N_PROMPTS": 3,
        "MAX_NEW_TOKENS": 4,
        "STEER_SCALES": [2.0, 4.0],
        "DIFFMEAN_LAYER": 1,
        "DIFFMEAN_SCALES": [1.0, 4.0],
        "TOP_RATE": 0.2,
        "ACTIVATION_BAR": 0.8,
    },
    figures=4,
    smoke_on_real_model=True,
    quick_cold_s={"bfloat16": 140, "float32": 288},
)


def other_site(site: str) -> str:
    return "neurons" if site == "gate" else "gate"


# --------------------------------------------------------------------------- analysis steps


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


Losses = dict[str, dict[str, tuple[np.ndarray, np.ndarray]]]


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


def steering_prompts(texts: list[str], n: int, seed: int) -> list[str]:
    """``n`` seeded held-out sentences cut after their first half (words, or characters for text
    without spaces)."""
    rng = np.random.default_rng(seed)
    return [
        " ".join(t.split()[: max(2, len(t.split()) // 2)]) if " " in t else t[: max(2, len(t) // 2)]
        for t in rng.choice(texts, size=min(n, len(texts)), replace=False)
    ]


def steering_name(target: str) -> str:
    return f"→ {target}"


def diffmean_directions(
    model: LoadedModel,
    sentences: dict[str, list[str]],
    source: str,
    targets: list[str],
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


def steering_interventions(
    method: str,
    target: str,
    scale: float,
    mean_activation: dict[str, np.ndarray],
    selection: lape.LapeSelection,
    directions: dict[str, np.ndarray],
    p: Parameters,
) -> list[AnyIntervention]:
    """LAPE: the target's neurons set to ``scale`` x their mean activation in the target
    language (``[layers, neurons]``) at every position; LAPE swap: the same after zeroing the
    source language's neurons (a neuron of both languages ends set). DiffMean: ``scale`` x the
    target's direction added to the residual stream after ``DIFFMEAN_LAYER`` at every
    position."""
    if method in ("LAPE neurons", "LAPE swap"):
        value = (scale * mean_activation[target]).astype(np.float32)
        activate = Intervention(selection.by_language[target], "set", value, site=p.SITE)
        if method == "LAPE neurons":
            return [activate]
        return [Intervention(selection.by_language[p.STEER_SOURCE], "zero", site=p.SITE), activate]
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
) -> dict[tuple[str, str, float], list[str]]:
    """Greedy continuations of ``prompts`` under each (method, target, scale) of the sweep, and
    unchanged (key ``(UNCHANGED, "", 0.0)``)."""
    mean_activation = {t: stats[t]["sum"] / stats[t]["tokens"] for t in p.STEER_TARGETS}
    conditions: dict[tuple[str, str, float], list[AnyIntervention]] = {(UNCHANGED, "", 0.0): []}
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
    outputs: dict[tuple[str, str, float], list[str]],
    held_out_perplexity: dict[str, float],
    p: Parameters,
) -> pd.DataFrame:
    """One row per continuation of the sweep: method, target, scale, prompt, identified
    language, perplexity of the text alone under the unsteered model, its ratio to the held-out
    perplexity of the identified language, repeated token 3-grams, and the verdicts ``in
    target``, ``fluent`` (ratio <= FLUENT_PERPLEXITY_RATIO and repetition <=
    FLUENT_REPETITION; an empty continuation is not fluent) and ``success`` (both)."""
    keys = [(key, k) for key, texts in outputs.items() for k in range(len(texts))]
    texts = [outputs[key][k] for key, k in keys]
    nll, counts = lm_scoring.sentence_nll(model, [t if t.strip() else " " for t in texts])
    # among the run's languages that py3langid knows (the steering languages are checked to
    # be; an own table may hold others)
    known = [lang for lang in p.LANGUAGES if lang in langid.known_languages()]
    identified = langid.identify(texts, known)
    rows = []
    for ((method, target, scale), k), text, lang, loss, count in zip(
        keys, texts, identified, nll, counts, strict=True
    ):
        tokens = model.tokenizer(text, add_special_tokens=False)["input_ids"]
        ppl = float(np.exp(loss / count)) if count and text.strip() else np.nan
        ratio = ppl / held_out_perplexity[lang] if lang in held_out_perplexity else np.nan
        repetition = fluency.repeated_ngram_share(tokens)
        fluent = bool(ratio <= p.FLUENT_PERPLEXITY_RATIO and repetition <= p.FLUENT_REPETITION)
        rows.append(
            {
                "method": method,
                "target": target,
                "scale": scale,
                "prompt": k,
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


def sweep_shares(judged: pd.DataFrame) -> pd.DataFrame:
    """Per method and scale, shares over all targets and prompts: in the target language,
    fluent, both ("success"); and the median perplexity ratio and repetition."""
    steered = judged[judged["method"] != UNCHANGED]
    return (
        steered.groupby(["method", "scale"], sort=False)
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


def best_scale(judged: pd.DataFrame, method: str, prompts: np.ndarray) -> float:
    """The scale of ``method`` with the highest success share over the continuations of
    ``prompts`` (indices; every target), the smaller scale on a tie."""
    rows = judged[(judged["method"] == method) & judged["prompt"].isin(prompts)]
    share = rows.groupby("scale", sort=True)["success"].mean()
    return float(share.index[int(np.argmax(share.values))])


def held_out_steering(judged: pd.DataFrame, seed: int = 0) -> dict[str, Any]:
    """Each method's scale chosen on half of the prompts and scored on the other half, both
    ways (cross-fitting: prompts with an even index choose for the odd ones and back), so that
    no continuation is scored under a scale its own prompt chose.

    Per method (slug): the scale chosen on all prompts (``steer_best_scale_*``, shown in the
    figures), the scales chosen on each half, and held-out shares of continuations that are in
    the target language, fluent, and both ("success"), each with a 95 % bootstrap interval
    over prompts. The winner: the method with the highest held-out success whose paired
    difference from every other method (per prompt, bootstrap over prompts) has an interval
    above 0; "neither" otherwise.
    """
    steered = judged[judged["method"] != UNCHANGED]
    prompts = np.sort(steered["prompt"].unique())
    halves = (prompts[prompts % 2 == 0], prompts[prompts % 2 == 1])
    per_prompt: dict[str, dict[str, np.ndarray]] = {}
    out: dict[str, Any] = {}
    for method, slug in STEERING_METHODS.items():
        rows = steered[steered["method"] == method]
        out[f"steer_best_scale_{slug}"] = best_scale(rows, method, prompts)
        chosen = [best_scale(rows, method, half) for half in halves]
        out[f"steer_half_scales_{slug}"] = " and ".join(f"×{c:g}" for c in chosen)
        scored = pd.concat(
            [
                rows[(rows["scale"] == scale) & rows["prompt"].isin(other)]
                for scale, other in zip(chosen, halves[::-1], strict=True)
            ]
        )
        means = scored.groupby("prompt")[["success", "in target", "fluent"]].mean()
        per_prompt[method] = {c: means[c].to_numpy(float) for c in means.columns}
        for column, name in (("success", "success"), ("in target", "target"), ("fluent", "fluent")):
            values = per_prompt[method][column]
            low, high = bootstrap.mean_interval(values, N_BOOT, seed)
            out[f"steer_{name}_{slug}"] = float(values.mean())
            out[f"steer_{name}_{slug}_low"] = float(low)
            out[f"steer_{name}_{slug}_high"] = float(high)
    order = sorted(STEERING_METHODS, key=lambda m: -out[f"steer_success_{STEERING_METHODS[m]}"])
    leader = order[0]
    beats = []
    for other in order[1:]:
        difference = per_prompt[leader]["success"] - per_prompt[other]["success"]
        low, high = bootstrap.mean_interval(difference, N_BOOT, seed)
        beats.append(bootstrap.compare(float(low), float(high)) is bootstrap.Comparison.ABOVE)
    out["steer_winner"] = leader if all(beats) else "neither"
    difference = per_prompt["DiffMean"]["success"] - per_prompt["LAPE neurons"]["success"]
    low, high = bootstrap.mean_interval(difference, N_BOOT, seed)
    out.update(
        {
            "steer_difference": float(difference.mean()),
            "steer_difference_low": float(low),
            "steer_difference_high": float(high),
            "n_held_out_prompts": len(prompts),
        }
    )
    return out


# --------------------------------------------------------------------------- the chapter


@dataclass
class Results:
    """Everything chapter 3's figures, tables and summary read."""

    parameters: Parameters
    split: dict[
        str, tuple[list[str], list[str]]
    ]  # language -> (statistics sentences, held-out sentences)
    stats: dict[str, dict[str, dict[str, np.ndarray]]]  # site -> language -> token statistics
    prob: dict[str, np.ndarray]  # site -> activation probabilities [K, L, N]
    selections: dict[str, lape.LapeSelection]  # site -> LAPE selection (both sites)
    sensitivity: list[dict[str, Any]]  # rows of the threshold-sensitivity table (at SITE)
    perplexity: pd.DataFrame  # deactivated (none, random, languages) x evaluated language
    losses: Losses  # deactivated -> evaluated language -> per-sentence (NLL, tokens)
    prompts: list[str]
    sweep: dict[tuple[str, str, float], list[str]]  # (method, target, scale) -> continuations
    judged: pd.DataFrame  # one row per continuation of the sweep (judge_continuations)
    directions: dict[str, np.ndarray]  # target -> DiffMean vector [d_model]

    def examples(self) -> dict[str, tuple[str, str, float]]:
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
        """Neurons shared by each pair of languages (diagonal: the language's own count): ``[K, K]``."""
        by_language = self.selection.by_language
        languages = self.parameters.LANGUAGES
        return np.array(
            [[len(by_language[a] & by_language[b]) for b in languages] for a in languages]
        )

    def perplexity_change(self) -> pd.DataFrame:
        """Change of perplexity relative to "none", in %."""
        return 100 * (self.perplexity / self.perplexity.loc["none"] - 1)

    def steering_share(self) -> pd.DataFrame:
        """Per condition: share of continuations identified as the target (NaN when unchanged) and
        as the source language."""
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


def analyse(model: LoadedModel, p: Parameters) -> Results:
    """Split texts, token statistics and LAPE at both sites, threshold sensitivity, the
    deactivation perplexity matrix and the steering generations with their languages."""
    split = {
        lang: data.split_texts(
            p.DATA_SOURCE, lang, p.N_STATS_SENTENCES, p.N_EVAL_SENTENCES, p.SEED, p.DATA_COLUMNS
        )
        for lang in p.LANGUAGES
    }
    # both sites counted in one pass per language
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
    chosen = selections[p.SITE]
    sensitivity = threshold_sensitivity(
        prob[p.SITE], p.LANGUAGES, chosen, p.TOP_RATE, p.FILTER, p.ACTIVATION_BAR
    )
    losses = deactivation_losses(
        model, {lang: split[lang][1] for lang in p.LANGUAGES}, chosen, p.SITE, p.SEED
    )
    ppl = perplexity_table(losses)
    prompts = steering_prompts(split[p.STEER_SOURCE][1], p.N_PROMPTS, p.SEED)
    directions = diffmean_directions(
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


RELATED_PAIRS = (("zh", "ja"), ("fr", "es"))  # the pairs Tang et al. name


def _related_change(change: pd.DataFrame, languages: list[str]) -> float:
    """The smallest perplexity change (%) of one language of a related pair with the other's
    neurons deactivated, over both directions of every pair in ``languages`` (nan: none)."""
    changes = [
        change.loc[a, b]
        for pair in RELATED_PAIRS
        if set(pair) <= set(languages)
        for a, b in (pair, pair[::-1])
    ]
    return float(min(changes)) if changes else float("nan")


def perplexity_intervals(losses: Losses, languages: list[str], seed: int) -> dict[str, float]:
    """95 % intervals over held-out sentences (:func:`perplexity_change_replicates`, resampled
    within each evaluated language, paired across deactivated sets) of the perplexity matrix's
    comparisons: ``diag_minus_offdiag`` (the diagonal's mean change minus the off-diagonal
    mean), ``diag_beyond_twice`` (the diagonal's mean minus twice the larger of the off-diagonal
    mean and the random set's mean), ``related_ppl_change_min``
    (:func:`_related_change`) and ``related_minus_baseline`` (that minus the larger of the median
    off-diagonal cell and the random set's mean change: above 0 when related languages interfere
    beyond an unrelated one or a random set; NaN without a related pair in ``languages``)."""
    rows, evaluated = list(losses), list(losses["none"])
    reps = perplexity_change_replicates(losses, N_BOOT, seed)  # [rows, evaluated, B]
    # deactivated x evaluated x B, both in the order of ``languages``
    square = reps[[rows.index(lang) for lang in languages]][
        :, [evaluated.index(lang) for lang in languages]
    ]
    random = reps[rows.index("random")].mean(0)
    off = ~np.eye(len(languages), dtype=bool)
    diagonal = square[~off].mean(0)
    values = {
        "diag_minus_offdiag": diagonal - square[off].mean(0),
        "diag_beyond_twice": diagonal - 2 * np.maximum(square[off].mean(0), random),
    }
    pairs = [
        (languages.index(a), languages.index(b))
        for pair in RELATED_PAIRS
        if set(pair) <= set(languages)
        for a, b in (pair, pair[::-1])
    ]
    nan = np.full(N_BOOT, np.nan)
    related = np.min([square[a, b] for a, b in pairs], axis=0) if pairs else nan
    values["related_ppl_change_min"] = related
    values["related_minus_baseline"] = related - np.maximum(np.median(square[off], axis=0), random)
    out = {}
    for key, replicates in values.items():
        out[f"{key}_low"], out[f"{key}_high"] = bootstrap.finite_interval(replicates)
    return out


def _related_text(s: dict[str, Any]) -> str:
    """The sentence on related pairs' interference, for this run's languages."""
    if math.isnan(s["related_minus_baseline_low"]):
        return (
            "No related pair (zh–ja, fr–es) is among the chapter's languages, so interference between "
            "related languages is not measured in this run."
        )
    beyond = s["related_minus_baseline_low"] > 0
    return (
        "Deactivating one language of a related pair (zh–ja, fr–es, both directions) changes "
        f"the other's perplexity by at least {s['related_ppl_change_min']:+.0f} % (95 % "
        f"interval over held-out sentences [{s['related_ppl_change_min_low']:+.0f}, "
        f"{s['related_ppl_change_min_high']:+.0f}] %); minus the larger of the median "
        "off-diagonal cell and the random set's mean change, the interval is "
        f"[{s['related_minus_baseline_low']:+.0f}, {s['related_minus_baseline_high']:+.0f}] "
        "percentage points: related languages "
        + (
            "interfere beyond an unrelated one."
            if beyond
            else "are not shown to interfere more than an unrelated one."
        )
    )


def _share(counts: np.ndarray, total: int) -> float:
    return float(100 * counts.sum() / max(total, 1))


def summarise(results: Results) -> dict[str, Any]:
    """Every number chapter 3 quotes (glued under these names) and the data behind its figures:
    one helper per section (the selection and its layers, shared neurons, the perplexity
    matrix, steering)."""
    out: dict[str, Any] = {}
    for part in (_selection_summary, _overlap_summary, _perplexity_summary, _steering_summary):
        out.update(part(results))
    out["units"] = UNITS
    return out


def _selection_summary(results: Results) -> dict[str, Any]:
    """The LAPE selection: its size, both sites, and where its neurons lie by layer (against
    uniform placement)."""
    p = results.parameters
    selection = results.selection
    n_layers = results.n_layers
    per_layer = selection.selected.per_layer()
    total = int(per_layer.sum())
    edges = edge_layers(n_layers)
    return {
        "n_selected": len(selection.selected),
        "mean_p_gate": float(results.prob["gate"].mean()),
        "mean_p_neurons": float(results.prob["neurons"].mean()),
        "site_overlap": selection.selected.overlap(results.selections[other_site(p.SITE)].selected),
        "other_site": other_site(p.SITE),
        "edge_share": _share(per_layer[edges], total),
        "first_share": _share(per_layer[:3], total),
        "last_share": _share(per_layer[-3:], total),
        "middle_share": _share(per_layer[n_layers // 3 : 2 * n_layers // 3], total),
        "edge_share_uniform": 100 * len(edges) / n_layers,
        "end_share_uniform": 100 * 3 / n_layers,
        # what 3 layers of n_layers hold when the selected neurons fall on layers uniformly at
        # random: the 97.5th percentile of their binomial share (an end is denser only above)
        "end_share_uniform_q975": float(
            100 * scipy_stats.binom.ppf(0.975, max(total, 1), 3 / n_layers) / max(total, 1)
        ),
        "max_entropy": float(np.log(len(p.LANGUAGES))),
        "n_languages": len(p.LANGUAGES),
        "per_language": {lang: len(selection.by_language[lang]) for lang in p.LANGUAGES},
        "per_layer": {
            lang: selection.by_language[lang].per_layer().tolist() for lang in p.LANGUAGES
        },
        "selected_per_layer": per_layer.tolist(),
        "sensitivity": results.sensitivity,
    }


def _overlap_summary(results: Results) -> dict[str, Any]:
    """Neurons shared by pairs of languages: the largest pair, the related pairs, the median."""
    languages = results.parameters.LANGUAGES
    shared = results.shared()
    off = shared.astype(float).copy()
    np.fill_diagonal(off, -1)
    i, j = np.unravel_index(off.argmax(), off.shape)

    def pair_count(a: str, b: str) -> int:  # -1: a language of the pair is not in LANGUAGES
        return (
            int(shared[languages.index(a), languages.index(b)])
            if a in languages and b in languages
            else -1
        )

    return {
        "top_pair": f"{languages[i]}–{languages[j]}",
        "top_pair_count": int(off[i, j]),
        "zh_ja": pair_count("zh", "ja"),
        "fr_es": pair_count("fr", "es"),
        "related_shared_text": "; ".join(
            f"{a}–{b} share {pair_count(a, b)}"
            if pair_count(a, b) >= 0
            else f"{a}–{b} is not measured ({a} and {b} are not both among LANGUAGES)"
            for a, b in (("zh", "ja"), ("fr", "es"))
        ),
        "shared_offdiag_median": float(np.median(shared[~np.eye(len(languages), dtype=bool)])),
        "shared": {
            a: dict(zip(languages, row, strict=True))
            for a, row in zip(languages, shared.tolist(), strict=True)
        },
    }


def _perplexity_summary(results: Results) -> dict[str, Any]:
    """The deactivation perplexity matrix: diagonal, off-diagonal, random set, related pairs,
    each comparison with its interval over held-out sentences."""
    p = results.parameters
    languages = p.LANGUAGES
    change = results.perplexity_change()
    square = change.loc[languages, languages].values  # rows: deactivated, columns: evaluated
    off_diagonal = square[~np.eye(len(languages), dtype=bool)]
    out: dict[str, Any] = {
        # deactivating one language of a related pair, the change of the other's perplexity
        # (the smallest of zh->ja, ja->zh, fr->es, es->fr; nan: no pair in LANGUAGES)
        "related_ppl_change_min": _related_change(change, languages),
        "diag_mean": float(np.diag(square).mean()),
        "offdiag_mean": float(off_diagonal.mean()),
        "offdiag_median": float(np.median(off_diagonal)),
        "random_mean": float(change.loc["random"].mean()),
        "diag_is_row_max": int(sum(square[k].argmax() == k for k in range(len(languages)))),
        **perplexity_intervals(results.losses, languages, p.SEED),
        # evaluated language -> deactivated -> perplexity
        "perplexity": results.perplexity.to_dict(),
        "perplexity_change_pct": change.to_dict(),
    }
    out["related_text"] = _related_text(out)
    return out


def _steering_summary(results: Results) -> dict[str, Any]:
    """Steering: the example scale's target shares, the sweep, and the methods on held-out
    prompts (scale chosen on the other half)."""
    p = results.parameters
    share = results.steering_share()
    steer_rates = [
        share.loc[steering_name(t), "share identified as target"] for t in p.STEER_TARGETS
    ]
    return {
        "steer_mean": float(np.mean(steer_rates)),
        "steer_scale": p.STEER_SCALE,
        "steer_min": float(np.min(steer_rates)),
        "steer_max": float(np.max(steer_rates)),
        "diffmean_layer": p.DIFFMEAN_LAYER,
        "n_steered_outputs": p.N_PROMPTS * len(p.STEER_TARGETS),
        "steer_unchanged_fluent": results.unchanged_fluent(),
        "steer_fluent_ratio": p.FLUENT_PERPLEXITY_RATIO,
        "steer_fluent_repetition": p.FLUENT_REPETITION,
        **held_out_steering(results.judged, p.SEED),
        "steering_share": share.to_dict(),  # column -> condition -> share
        "steering_prompts": results.prompts,
        "steering_outputs": results.outputs,
        "steering_identified": results.identified,
        "steering_sweep": sweep_shares(results.judged).reset_index().to_dict("records"),
        "diffmean_norm": {t: float(np.linalg.norm(v)) for t, v in results.directions.items()},
    }


def measured_points(summary: dict[str, Any]) -> list[str]:
    """What a run that is not the default one measured, one sentence each (the "What we found"
    section's list on such a run)."""
    s = summary
    return [
        f"LAPE selects {s['n_selected']} neurons: {s['first_share']:.0f} % in the first three "
        f"layers, {s['last_share']:.0f} % in the last three, {s['middle_share']:.0f} % in the "
        f"middle third (uniform placement puts up to {s['end_share_uniform_q975']:.1f} % on "
        "three layers by chance).",
        f"Deactivating a language's neurons raises its perplexity by {s['diag_mean']:.0f} % on "
        f"average against {s['offdiag_mean']:.0f} % for the other languages (random sets: "
        f"{s['random_mean']:.1f} %); its own language is hit hardest in "
        f"{s['diag_is_row_max']} of {s['n_languages']} rows.",
        f"Steering: LAPE neurons {s['steer_success_lape']:.2f}, the paper's swap "
        f"{s['steer_success_swap']:.2f}, DiffMean {s['steer_success_diffmean']:.2f} of the "
        f"held-out continuations in the target language; winner by paired intervals: "
        f"{s['steer_winner']}.",
    ]


UNITS = {  # every key of the summary, by glob pattern
    "mean_p_*": "share of tokens on which a neuron is > 0, mean over languages, layers, neurons",
    "site_overlap, sensitivity": "Jaccard overlap of neuron sets (sensitivity: rows of "
    "neuron counts and overlaps)",
    "*_share, *_share_uniform, end_share_uniform_q975": "% of the selected neurons",
    "max_entropy": "nats",
    "n_selected, per_language, per_layer, selected_per_layer, shared, *_count, zh_ja, "
    "fr_es, shared_offdiag_median": "neurons",
    "related_shared_text": "text (the related pairs' shared neurons)",
    "perplexity": "perplexity of held-out sentences",
    "diag_mean, offdiag_mean, offdiag_median, random_mean, related_ppl_change_min, "
    "perplexity_change_pct": "% change of perplexity vs none",
    "diag_minus_offdiag_*, diag_beyond_twice_*, related_ppl_change_min_*, "
    "related_minus_baseline_*": "% change of perplexity vs none (differences of it), 95 % "
    "bootstrap interval over held-out sentences",
    "steer_mean, steer_min, steer_max, steer_unchanged_fluent, steering_share, "
    "steering_sweep": "share of continuations (0-1)",
    "steer_success_*, steer_target_*, steer_fluent_lape*, steer_fluent_swap*, "
    "steer_fluent_diffmean*": "share of the continuations of held-out prompts (scale "
    "chosen on the other half), 95 % bootstrap interval over prompts (_low, _high)",
    "steer_fluent_ratio": "x the held-out perplexity of the language",
    "steer_fluent_repetition": "share of repeated token 3-grams",
    "steer_scale, steer_best_scale_lape, steer_best_scale_swap": "x mean activation",
    "steer_best_scale_diffmean": "x the DiffMean vector (target minus source mean)",
    "steer_difference*": "held-out success share, DiffMean minus LAPE neurons (paired over "
    "prompts)",
    "diffmean_norm": "L2 norm of the DiffMean vector (residual-stream units)",
    "diag_is_row_max, n_languages, n_steered_outputs, n_held_out_prompts": "count",
    "diffmean_layer": "layer index, from 0",
    "other_site, top_pair, related_text, steer_half_scales_*, steer_winner, "
    "steering_prompts, steering_outputs, steering_identified": "text",
}


# --------------------------------------------------------------------------- tables


def counts_table(results: Results) -> pd.DataFrame:
    """Neurons assigned to each language (one row)."""
    counts = pd.Series(
        {lang: len(results.selection.by_language[lang]) for lang in results.parameters.LANGUAGES},
        name="neurons",
    )
    return counts.to_frame().T


def sensitivity_table(results: Results) -> pd.DataFrame:
    """Selected neurons, language assignments and overlap with the chosen selection as each
    threshold varies around its chosen value."""
    return pd.DataFrame(results.sensitivity).set_index(["parameter", "value"]).round(3)


def steering_examples(results: Results, width: int = 90) -> pd.DataFrame:
    """Each prompt, then its continuation under each condition with the identified language:
    one row per (prompt, condition), so that every text gets the page's width (a column per
    condition squeezed scripts without spaces into one character per line). Whitespace is
    collapsed and texts are cut at ``width`` characters."""
    rows = []
    for k, prompt in enumerate(results.prompts):
        rows.append((k + 1, "prompt", results.parameters.STEER_SOURCE, _shorten(prompt, width)))
        for name, texts in results.outputs.items():
            rows.append((k + 1, name, results.identified[name][k], _shorten(texts[k], width)))
    table = pd.DataFrame(rows, columns=["prompt", "condition", "identified as", "text"])
    return table.set_index(["prompt", "condition"])


def _shorten(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def steering_table(results: Results) -> pd.DataFrame:
    """Share of continuations identified as the target and as the source language."""
    return results.steering_share().round(2)


def sweep_table(results: Results) -> pd.DataFrame:
    """Per method and scale: shares of continuations in the target language, fluent, both."""
    return sweep_shares(results.judged).round(2)


# --------------------------------------------------------------------------- figures


def plot_layers(results: Results) -> None:
    """Neurons assigned to each language, per layer."""
    p = results.parameters
    fig, ax = plotting.single(width=0.85 * plotting.PAGE_WIDTH, height=2.8)
    for k, lang in enumerate(p.LANGUAGES):
        plotting.layer_line(
            ax, results.selection.by_language[lang].per_layer(), lang, plotting.color(k)
        )
    ax.set_ylabel("language-specific neurons")
    plotting.legend(fig, ncol=min(len(p.LANGUAGES), 8))


def plot_entropy_overlap(results: Results) -> None:
    """Left: histogram of the LAPE entropy of the neurons that pass the filter, with a dotted line
    at the entropy of the last selected neuron. Right: neurons shared by each pair of languages."""
    p = results.parameters
    selection = results.selection
    n_selected = len(selection.selected)
    fig, axes = plotting.grid(1, 2, panel_height=3.0, sharex=False)
    finite = selection.entropy[np.isfinite(selection.entropy)]
    # a histogram is not in the shared vocabulary
    axes[0, 0].hist(finite, bins=60, color=plotting.color(0))
    if n_selected:
        axes[0, 0].axvline(
            np.sort(finite)[n_selected - 1], color="k", ls=":", lw=1, label="selection threshold"
        )
        plotting.legend(axes[0, 0])
    axes[0, 0].set_xlabel("LAPE entropy")
    axes[0, 0].set_ylabel("neurons")
    shared = results.shared()
    plotting.annotated_heatmap(
        axes[0, 1], shared, p.LANGUAGES, p.LANGUAGES, fmt="{}", color_values=np.log1p(shared)
    )
    axes[0, 1].set_title("neurons shared by two languages")


def plot_perplexity(results: Results) -> None:
    """Change of perplexity (%) of each evaluated language with each set deactivated; colour:
    log10 of the perplexity ratio, so that one huge cell does not hide the rest."""
    shown = results.perplexity_change().drop(index="none")
    _, ax = plotting.single(width=0.75 * plotting.PAGE_WIDTH, height=3.6)
    plotting.annotated_heatmap(
        ax,
        shown.values,
        list(shown.index),
        list(shown.columns),
        fmt="{:.0f}",
        cmap="magma_r",
        colorbar="log10 perplexity ratio",
        color_values=np.log10(1 + shown.values / 100),
    )
    ax.set_xlabel("evaluated language")
    ax.set_ylabel("deactivated")


def plot_steering_sweep(results: Results) -> None:
    """Share of continuations in the target language, fluent, and both, against the scale of
    each steering method (over all targets and prompts); dotted: fluent share unsteered."""
    shares = sweep_shares(results.judged)
    unchanged = results.unchanged_fluent()
    fig, axes = plotting.grid(1, len(STEERING_METHODS), panel_height=2.8, sharex=False)
    for ax, method in zip(axes[0], STEERING_METHODS, strict=True):
        rows = shares.loc[method]
        for k, column in enumerate(("in target", "fluent", "success")):
            ax.plot(rows.index, rows[column], marker="o", color=plotting.color(k), label=column)
        ax.axhline(unchanged, color="k", ls=":", lw=1, label="fluent, unsteered")
        ax.set_xscale("log", base=2)
        ax.set_xticks(list(rows.index), [f"{v:g}" for v in rows.index])
        ax.set_ylim(-0.03, 1.03)
        ax.set_title(method)
        ax.set_xlabel("× mean activation" if method == "LAPE neurons" else "× difference of means")
    axes[0, 0].set_ylabel("share of continuations")
    plotting.legend(fig, ncol=4)


from .claims import CLAIMS as CLAIMS  # the chapter's claims and their rules

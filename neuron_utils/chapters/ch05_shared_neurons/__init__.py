"""Chapter 5: neurons shared by all, some or one language (Wang et al., "Sharing Matters").

For one item given in ``L`` languages, a neuron is all-shared, partial-shared, specific or
non-activated by the number of languages in which it fires at the input's last token
(:mod:`neuron_utils.methods.sharing`). This module measures those categories on plain
multi-parallel sentences and on the prompts of multilingual choice tasks
(:mod:`neuron_utils.data.tasks`), attributes the correct answer to neurons (the authors'
contribution score and activation x gradient), and intervenes per item: it zeroes each
category's neurons and scales ("boosts") the all-shared ones, each against random neurons
matched per item and layer, with one forward per batch (per-text masks).

:func:`analyse` runs everything for the chapter's parameters; :func:`summarise` gives every
number the chapter quotes.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from ... import data
from ...kit import plotting
from ...kit.spec import ChapterSpec
from ...kit.parameters import (
    ChapterParameters,
    check_choice,
    check_int,
    check_number,
    check_numbers,
    check_source,
    check_subset,
    glue_name,
)
from ...core.activations import collect
from ...core.attribution import output_weight_norms, prompt_attribution
from ...core.interventions import PerTextIntervention
from ...core.lm_scoring import continuation_logprobs
from ...core.models import LoadedModel
from ...data.tasks import ChoiceTask
from ...methods import bootstrap, sharing
from ...methods.sharing import CATEGORIES

LEVEL = 0.95  # confidence level of every interval
CATEGORY_SLUGS = sharing.CATEGORY_SLUGS
INPUT_NAMES = {
    "sentences": "plain sentences",
    "translation": "translation-choice prompts",
    "xcopa": "XCOPA prompts",
}
# the template control of claim (i): the same languages as the translation prompts, and
# prompts that end in the sentence itself (the task prompts all end in the target's name)
CONTROL_NAMES = {
    "sentences_task_languages": "plain sentences, the translation task's languages",
    "translation_ending": "translation prompts ending in the sentence",
}
ATTRIBUTIONS = {"contribution": "|a| x ||W_out||", "gradient": "|a x gradient|"}


@dataclass(frozen=True)
class Parameters(ChapterParameters):
    """Chapter 5's parameters (defaults: the ``quick`` profile)."""

    # multi-parallel sentences and the translation task: bundled | flores | own table
    # (.tsv/.csv/.jsonl/.parquet or hf:<id>, one column per language)
    DATA_SOURCE: str = "bundled"
    # an own table's columns where they are not named by language code: {"ja": "japanese"}
    DATA_COLUMNS: dict[str, str] = field(default_factory=dict)
    LANGUAGES: list[str] = field(default_factory=lambda: list(data.BUNDLED_LANGUAGES))
    N_SENTENCES: int = 60  # multi-parallel sentences whose categories are measured
    TASKS: list[str] = field(default_factory=lambda: ["translation"])  # translation | xcopa
    TARGET_LANGUAGE: str = "en"  # translation choice: candidates in this language
    XCOPA_LANGUAGES: list[str] = field(default_factory=lambda: list(data.XCOPA_LANGUAGES))
    N_TASK_ITEMS: int = 6  # items per task (each in every language): 6 x 7 x 2 x 15 conditions
    CHOICES: int = 2  # candidates per translation item (XCOPA has 2)
    CATEGORY_SITE: str = "gate"  # act(gate(x)): "active" means > THRESHOLD here
    THRESHOLD: float = 0.0  # the authors' "> 0"
    THRESHOLDS: list[float] = field(default_factory=lambda: [0.0, 0.1, 0.2, 0.3, 0.4, 0.5])
    TOP_K: int = 100  # top contributors per layer (the authors: 800 of 16,384; 100 of 2,048)
    DEACTIVATE: list[str] = field(
        default_factory=lambda: ["all-shared", "partial-shared", "specific"]
    )
    BOOST_FACTORS: list[float] = field(default_factory=lambda: [1.5, 3.0])
    N_RANDOM_SEEDS: int = 2  # random sets matched per item and layer, for each deactivation
    N_BOOST_RANDOM_SEEDS: int = 1  # ... and for each boosting factor
    N_BOOTSTRAP: int = 2000
    BATCH_SIZE: int = 32

    CHAPTER: ClassVar[str] = "05"
    PAPER: ClassVar[dict[str, Any]] = {
        "DATA_SOURCE": "flores",
        "LANGUAGES": ["en", "ja", "zh", "ko", "fr", "es", "de", "it", "ru", "ar", "vi", "id"],
        "N_SENTENCES": 500,
        "N_RANDOM_SEEDS": 3,
        "TASKS": ["xcopa", "translation"],
        "N_TASK_ITEMS": 500,
        "CHOICES": 4,
        "BOOST_FACTORS": [1.25, 1.5, 2.0, 3.0],
        "N_BOOST_RANDOM_SEEDS": 3,
    }
    # 500 items x 11 languages x (2 to 4) choices is ~30 min per condition on 2 cores, x 29
    PAPER_LITE: ClassVar[dict[str, Any]] = {
        "N_SENTENCES": 300,
        "N_TASK_ITEMS": 40,
        "CHOICES": 2,
        "N_BOOST_RANDOM_SEEDS": 1,
    }

    def check_data(self) -> None:
        check_source("DATA_SOURCE", self.DATA_SOURCE, self.DATA_COLUMNS, ("bundled", "flores"))
        allowed = data.available_languages(self.DATA_SOURCE, self.DATA_COLUMNS)
        check_subset(f"LANGUAGES (of the {self.DATA_SOURCE} data)", self.LANGUAGES, allowed, 2)
        n_texts = len(data.texts(self.DATA_SOURCE, self.LANGUAGES[0], self.DATA_COLUMNS))
        check_int("N_SENTENCES", self.N_SENTENCES, 2, n_texts)
        most = min(n_texts, data.tasks.XCOPA_ITEMS if "xcopa" in self.TASKS else n_texts)
        check_int("N_TASK_ITEMS", self.N_TASK_ITEMS, max(self.CHOICES, 2), most)

    def check(self) -> None:
        name = f"LANGUAGES (of the {self.DATA_SOURCE} data)"
        if data.is_own(self.DATA_SOURCE):  # its languages are known once it is read
            check_subset(name, self.LANGUAGES, self.LANGUAGES, minimum=2)
        else:  # a built-in source's languages are known without reading it
            check_source("DATA_SOURCE", self.DATA_SOURCE, self.DATA_COLUMNS, ("bundled", "flores"))
            check_subset(name, self.LANGUAGES, data.available_languages(self.DATA_SOURCE), 2)
        check_int("N_SENTENCES", self.N_SENTENCES, 2)
        check_subset("TASKS", self.TASKS, data.TASKS)
        if "translation" not in self.TASKS:  # the page's tables, figures and prose are its
            raise ValueError(
                f"TASKS={self.TASKS!r} must include 'translation': the chapter's tables, figures "
                "and sentences are written around it (xcopa is measured beside it)"
            )
        if "translation" in self.TASKS:
            check_choice("TARGET_LANGUAGE", self.TARGET_LANGUAGE, self.LANGUAGES)
            if len(self.LANGUAGES) < 3:
                raise ValueError(
                    "the translation task needs at least 2 LANGUAGES besides TARGET_LANGUAGE"
                )
        check_subset("XCOPA_LANGUAGES", self.XCOPA_LANGUAGES, data.XCOPA_LANGUAGES, 2)
        check_int("CHOICES", self.CHOICES, 2, 10)
        check_int("N_TASK_ITEMS", self.N_TASK_ITEMS, max(self.CHOICES, 2))
        check_choice("CATEGORY_SITE", self.CATEGORY_SITE, ("gate", "neurons"))
        check_number("THRESHOLD", self.THRESHOLD, -1e3, 1e3)
        check_numbers("THRESHOLDS", self.THRESHOLDS, -1e3, 1e3)
        check_int("TOP_K", self.TOP_K, 1)
        check_subset("DEACTIVATE", self.DEACTIVATE, CATEGORIES, 0)
        quoted = [
            c for c in ("all-shared", "partial-shared", "specific") if c not in self.DEACTIVATE
        ]
        if quoted:  # the page quotes what zeroing each of them does
            raise ValueError(
                f"DEACTIVATE={self.DEACTIVATE!r} must include {', '.join(map(repr, quoted))}: the "
                "chapter compares zeroing each of the three (non-activated may be added)"
            )
        check_numbers("BOOST_FACTORS", self.BOOST_FACTORS, 0.0, 100.0)
        check_int("N_RANDOM_SEEDS", self.N_RANDOM_SEEDS, 1)
        check_int("N_BOOST_RANDOM_SEEDS", self.N_BOOST_RANDOM_SEEDS, 1)
        check_int("N_BOOTSTRAP", self.N_BOOTSTRAP, 100)

    def data_files(self) -> list[tuple[str, str]]:
        files = data.source_files(self.DATA_SOURCE, self.LANGUAGES)
        if "xcopa" in self.TASKS:
            files += data.tasks.task_files("xcopa", self.XCOPA_LANGUAGES)
        return files

    def describe_data(self) -> list[dict[str, Any]]:
        out = data.describe_source(self.DATA_SOURCE, self.LANGUAGES, self.DATA_COLUMNS)
        if "xcopa" in self.TASKS:
            out += data.tasks.describe_task("xcopa", self.XCOPA_LANGUAGES)
        return out

    def task(self, name: str) -> ChoiceTask:
        if name == "xcopa":
            return data.xcopa_task(self.XCOPA_LANGUAGES, self.N_TASK_ITEMS, self.SEED)
        inputs = [lang for lang in self.LANGUAGES if lang != self.TARGET_LANGUAGE]
        return data.translation_task(
            self.DATA_SOURCE,
            inputs,
            self.TARGET_LANGUAGE,
            self.N_TASK_ITEMS,
            self.CHOICES,
            self.SEED,
            self.DATA_COLUMNS,
        )


# the harness's settings for this chapter (smoke and golden sizes, figures, cost)
SPEC = ChapterSpec(
    tiny={
        "LANGUAGES": ["en", "ja", "fr", "zh"],
        "N_SENTENCES": 8,
        "N_TASK_ITEMS": 4,
        "THRESHOLDS": [0.0, 0.5],
        "BOOST_FACTORS": [2.0],
        "N_RANDOM_SEEDS": 1,
        "N_BOOTSTRAP": 200,
    },
    golden={
        "N_SENTENCES": 12,
        "N_TASK_ITEMS": 6,
        "TOP_K": 5,
        "BOOST_FACTORS": [2.0],
        "N_RANDOM_SEEDS": 2,
        "N_BOOTSTRAP": 200,
    },
    figures=10,
    quick_cold_s={"bfloat16": 181, "float32": 293},
)


# --------------------------------------------------------------------------- categories


@dataclass
class CategoryStats:
    """The categories of one kind of input (plain sentences or one task's prompts)."""

    languages: tuple[str, ...]
    codes: np.ndarray  # [items, L, N] int8 at THRESHOLD, last token
    shares: np.ndarray  # [items, 4, L] share of each layer's neurons per category
    stable: np.ndarray  # [4] neurons in one category for every item
    sweep: np.ndarray  # [thresholds, 4] share of all neurons, mean over items
    all_tokens: np.ndarray  # [4] share of all neurons, "active" = fires on any token
    firing_rate: np.ndarray  # [L, N] share of (item, language) inputs it fires on (last token)
    magnitude: np.ndarray  # [L, N] mean |activation| over them
    n_firing: np.ndarray  # [items, languages, L] neurons that fire on each input


def category_stats(
    model: LoadedModel, texts: np.ndarray, p: Parameters, languages: tuple[str, ...]
) -> CategoryStats:
    """Categories of ``texts [items, languages]`` at the last token (and on any token)."""
    n_items, n_langs = texts.shape
    flat = texts.ravel().tolist()

    def acts(pooling: str) -> np.ndarray:
        values = collect(model, flat, [p.CATEGORY_SITE], pooling, batch_size=p.BATCH_SIZE)
        return values[p.CATEGORY_SITE].reshape(n_items, n_langs, model.n_layers, -1)

    last = acts("last")
    codes = sharing.categories(last, p.THRESHOLD)
    sweep = np.array(
        [sharing.category_shares(sharing.categories(last, t)).mean((0, 2)) for t in p.THRESHOLDS]
    )
    fires = last > p.THRESHOLD
    firing_rate, n_firing = fires.mean((0, 1)), fires.sum(-1)
    magnitude = np.abs(last).mean((0, 1), dtype=np.float64)
    del last, fires
    any_token = sharing.categories(acts("max"), p.THRESHOLD)
    return CategoryStats(
        languages=languages,
        codes=codes,
        shares=sharing.category_shares(codes),
        stable=sharing.stable_counts(codes),
        sweep=sweep,
        all_tokens=sharing.category_shares(any_token).mean((0, 2)),
        firing_rate=firing_rate,
        magnitude=magnitude,
        n_firing=n_firing,
    )


def sentence_items(p: Parameters) -> np.ndarray:
    """``[N_SENTENCES, LANGUAGES]``: a seeded sample of the multi-parallel corpus."""
    by_lang = {lang: data.texts(p.DATA_SOURCE, lang, p.DATA_COLUMNS) for lang in p.LANGUAGES}
    total = len(by_lang[p.LANGUAGES[0]])
    picked = np.sort(np.random.default_rng(p.SEED).choice(total, p.N_SENTENCES, replace=False))
    return np.array([[by_lang[lang][k] for lang in p.LANGUAGES] for k in picked], dtype=object)


# --------------------------------------------------------------------------- attribution


@dataclass
class AttributionStats:
    """Per layer, which categories the top contributors to the correct answer fall in."""

    top_shares: dict[str, np.ndarray]  # attribution -> [4, L] share of the top-K per category
    mean_score: dict[str, np.ndarray]  # attribution -> [4] mean score per category
    agreement: np.ndarray  # [L] mean Jaccard of the two top-K sets


def attribution_stats(
    model: LoadedModel, task: ChoiceTask, codes: np.ndarray, p: Parameters, chunk: int = 64
) -> AttributionStats:
    """Attribute the correct choice of every (item, language) to the neurons at the prompt's
    last token; ``codes [items, L, N]`` are the items' categories. Rows are processed
    ``chunk`` at a time, so memory does not grow with the task."""
    norms = output_weight_norms(model)
    n_langs = len(task.languages)
    prompts = task.prompts.ravel().tolist()
    answers = task.choices[np.arange(task.n_items), :, task.answer].ravel().tolist()
    item_of_row = np.repeat(np.arange(task.n_items), n_langs)
    sums = {name: np.zeros((len(CATEGORIES), model.n_layers)) for name in ATTRIBUTIONS}
    score_sums = {name: np.zeros((len(CATEGORIES), model.n_layers)) for name in ATTRIBUTIONS}
    score_rows = {name: np.zeros((len(CATEGORIES), model.n_layers)) for name in ATTRIBUTIONS}
    agreement = np.zeros(model.n_layers)
    k = min(p.TOP_K, model.n_neurons)
    for start in range(0, len(prompts), chunk):
        rows = slice(start, start + chunk)
        acts, grads = prompt_attribution(
            model, prompts[rows], answers[rows], p.BATCH_SIZE // 4 or 1
        )
        row_codes = codes[item_of_row[rows]]
        scores = {
            "contribution": sharing.contribution_scores(acts, norms),
            "gradient": np.abs(acts * grads),
        }
        tops = {}
        for name, score in scores.items():
            tops[name] = sharing.top_k_mask(score, k)
            sums[name] += sharing.shares_among(tops[name], row_codes).sum(0)
            means = sharing.mean_by_category(score, row_codes)  # [rows, 4, L]
            score_sums[name] += np.nansum(means, 0)
            score_rows[name] += (~np.isnan(means)).sum(0)
        both = (tops["contribution"] & tops["gradient"]).sum(-1)
        either = (tops["contribution"] | tops["gradient"]).sum(-1)
        agreement += (both / either).sum(0)
    n = len(prompts)
    return AttributionStats(
        top_shares={name: s / n for name, s in sums.items()},
        mean_score={
            name: np.nanmean(
                np.where(
                    score_rows[name] > 0, score_sums[name] / np.maximum(score_rows[name], 1), np.nan
                ),
                1,
            )
            for name in ATTRIBUTIONS
        },
        agreement=agreement / n,
    )


# --------------------------------------------------------------------------- interventions


def deactivation_key(category: str, seed: int | None = None, kind: str = "random") -> str:
    """``zero all-shared``; its random draws ``... | random 0``; its firing-matched draws
    ``... | matched 0``."""
    return f"zero {category}" + ("" if seed is None else f" | {kind} {seed}")


OTHER_ITEM = "zero all-shared of another item"
ALWAYS_SHARED = "zero the neurons all-shared for every item"
MAGNITUDE = "zero as many top-|a| neurons"


def boost_key(factor: float, seed: int | None = None) -> str:
    return f"boost x{factor:g}" + ("" if seed is None else f" | random {seed}")


def _random_draw(seed: int, label: str, k: int) -> int:
    """A seed per (chapter seed, condition, draw): distinct conditions draw independently."""
    return seed * 1_000_003 + 7919 * sum(map(ord, label)) + k


def top_magnitude_masks(counts: np.ndarray, magnitude: np.ndarray) -> np.ndarray:
    """Per row and layer, the ``counts [rows, L]`` neurons with the largest ``magnitude [L, N]``
    (no category, no pairing): ``[rows, L, N]``. Ties go to the lower index."""
    order = np.argsort(-np.asarray(magnitude), axis=-1, kind="stable")
    rank = np.argsort(order, axis=-1, kind="stable")  # [L, N]: 0 for the largest
    return rank[None] < np.asarray(counts)[..., None]


def conditions_for(task: ChoiceTask, stats: CategoryStats, p: Parameters) -> dict[str, list]:
    """Every condition scored on a task: per-item masks applied to all of the item's prompts.

    Each deactivated category gets two kinds of random sets, per item and layer of the same
    size: drawn from every other neuron (``random``), and drawn from the neurons that fire as
    often and as strongly (``matched``: the same count from each joint bin of firing rate and
    mean |a| over the task's inputs). All-shared neurons fire on every input, so a set drawn
    from every other neuron is mostly silent neurons: it cannot tell "all-shared" from "fires".
    """
    codes = stats.codes
    prompts = tuple(task.prompts.ravel().tolist())
    n_langs = len(task.languages)

    index = tuple(np.repeat(np.arange(task.n_items), n_langs).tolist())  # prompt -> its item

    def per_text(masks: np.ndarray, op: str, value: float = 0.0) -> list:
        return [PerTextIntervention(prompts, masks, op, value, index=index)]

    bins = sharing.firing_matched_bins(stats.firing_rate, stats.magnitude)
    out: dict[str, list] = {"none": []}
    for category in p.DEACTIVATE:
        masks = codes == CATEGORIES.index(category)
        out[deactivation_key(category)] = per_text(masks, "zero")
        for s in range(p.N_RANDOM_SEEDS):
            random = sharing.random_matched_masks(masks, _random_draw(p.SEED, category, s))
            out[deactivation_key(category, s)] = per_text(random, "zero")
            matched = sharing.random_binned_masks(
                masks, bins, _random_draw(p.SEED, f"matched {category}", s)
            )
            out[deactivation_key(category, s, "matched")] = per_text(matched, "zero")
    shared = codes == sharing.ALL
    if "all-shared" in p.DEACTIVATE:
        # another item's all-shared set (a seeded derangement of the items): does the item's own
        # category matter, or only which neurons fire in every language for most inputs?
        other = data.derangement(
            task.n_items, np.random.default_rng(_random_draw(p.SEED, "other", 0))
        )
        out[OTHER_ITEM] = per_text(shared[other], "zero")
        # one set for every item: the neurons all-shared on every input of the task
        always = np.broadcast_to(shared.all(0), shared.shape)
        out[ALWAYS_SHARED] = per_text(np.ascontiguousarray(always), "zero")
        # as many neurons per item and layer, chosen by mean |a| alone
        out[MAGNITUDE] = per_text(top_magnitude_masks(shared.sum(-1), stats.magnitude), "zero")
    for factor in p.BOOST_FACTORS:
        out[boost_key(factor)] = per_text(shared, "scale", factor)
        for s in range(p.N_BOOST_RANDOM_SEEDS):
            random = sharing.random_matched_masks(shared, _random_draw(p.SEED, "boost", s))
            out[boost_key(factor, s)] = per_text(random, "scale", factor)
    return out


def score_task(
    model: LoadedModel, task: ChoiceTask, conditions: dict[str, list], batch_size: int
) -> dict[str, np.ndarray]:
    """Summed log-prob of every choice under every condition: ``{key: [items, L, k]}``."""
    prompts, choices = task.flat()
    scores = continuation_logprobs(model, prompts, choices, conditions, batch_size)
    return {key: total.reshape(task.choices.shape) for key, (total, _) in scores.items()}


# --------------------------------------------------------------------------- the chapter


@dataclass
class TaskResults:
    task: ChoiceTask
    categories: CategoryStats
    attribution: AttributionStats
    scores: dict[str, np.ndarray]  # condition -> [items, L, k] summed log-probs
    changed: dict[str, float]  # condition -> mean neurons changed per item

    def correct(self, key: str) -> np.ndarray:
        """``[items, L]``: the correct choice has a higher summed log-prob than every other
        (strictly: a tie is not a correct answer)."""
        return self.margin(key) > 0

    def margin(self, key: str) -> np.ndarray:
        """``[items, L]``: log-prob of the correct choice minus the best wrong one."""
        s = self.scores[key]
        right = np.take_along_axis(s, self.task.answer[:, None, None], -1)[..., 0]
        wrong = s.copy()
        np.put_along_axis(wrong, self.task.answer[:, None, None], -np.inf, -1)
        return right - wrong.max(-1)


@dataclass
class Results:
    parameters: Parameters
    n_layers: int
    n_neurons: int
    sentences: CategoryStats
    tasks: dict[str, TaskResults]
    controls: dict[str, CategoryStats]  # CONTROL_NAMES' kinds (translation only)


def ending_prompts(p: Parameters, task: ChoiceTask) -> np.ndarray:
    """The translation task's items as prompts whose last tokens are the sentence's own:
    the instruction first, the sentence last (``[items, languages]``)."""
    target = data.LANGUAGE_NAMES.get(p.TARGET_LANGUAGE, p.TARGET_LANGUAGE)
    by_lang = {lang: data.texts(p.DATA_SOURCE, lang, p.DATA_COLUMNS) for lang in task.languages}
    return np.array(
        [[f"Translate into {target}:\n{by_lang[lang][k]}" for lang in task.languages]
         for k in task.item_ids],
        dtype=object,
    )  # fmt: skip


def analyse(model: LoadedModel, p: Parameters) -> Results:
    """Categories of plain sentences and of every task's prompts; attribution, deactivation and
    boosting on every task."""
    items = sentence_items(p)
    sentences = category_stats(model, items, p, tuple(p.LANGUAGES))
    tasks, controls = {}, {}
    for name in p.TASKS:
        task = p.task(name)
        stats = category_stats(model, task.prompts, p, task.languages)
        attribution = attribution_stats(model, task, stats.codes, p)
        conditions = conditions_for(task, stats, p)
        changed = {
            key: float(ivs[0].masks.sum() / ivs[0].masks.shape[0]) if ivs else 0.0
            for key, ivs in conditions.items()
        }
        scores = score_task(model, task, conditions, p.BATCH_SIZE)
        tasks[name] = TaskResults(task, stats, attribution, scores, changed)
        if name == "translation":
            same = [p.LANGUAGES.index(lang) for lang in task.languages]
            controls["sentences_task_languages"] = category_stats(
                model, items[:, same], p, task.languages
            )
            controls["translation_ending"] = category_stats(
                model, ending_prompts(p, task), p, task.languages
            )
    return Results(p, model.n_layers, model.n_neurons, sentences, tasks, controls)


# --------------------------------------------------------------------------- summary


def _replicates(values: np.ndarray, p: Parameters) -> np.ndarray:
    """Bootstrap replicates of the mean over items of ``values [C, items]``: ``[C, B]``; the
    same item draws for every condition and every call (paired)."""
    groups = np.zeros(values.shape[1], dtype=int)
    return bootstrap.overall_replicates(values, groups, p.N_BOOTSTRAP, p.SEED)


def accuracy_rows(tr: TaskResults, p: Parameters) -> list[dict[str, Any]]:
    """Per language (and the mean over languages): accuracy without intervention, its interval
    and the mean margin of the correct choice."""
    correct = tr.correct("none").astype(float)  # [items, L]
    margin = tr.margin("none")
    rows = []
    columns = [*tr.task.languages, "mean"]
    for j, lang in enumerate(columns):
        values = correct.mean(1) if lang == "mean" else correct[:, j]
        low, high = bootstrap.interval(_replicates(values[None], p), LEVEL)
        rows.append(
            {
                "language": lang,
                "accuracy": float(values.mean()),
                "low": float(low[0]),
                "high": float(high[0]),
                "margin": float((margin.mean(1) if lang == "mean" else margin[:, j]).mean()),
            }
        )
    return rows


def intervention_rows(tr: TaskResults, p: Parameters) -> list[dict[str, Any]]:
    """One row per intervention (mean accuracy over languages): accuracy [CI], change from none
    [CI], its random sets' mean and the difference from them [CI] (and from its firing-matched
    random sets, for deactivations), mean margin, neurons changed per item; and per-language
    accuracies. All-shared deactivation is also compared with its controls (another item's
    set, the neurons of the largest mean |a|)."""
    seeds = range(p.N_RANDOM_SEEDS)
    groups = [
        (deactivation_key(c), [deactivation_key(c, s) for s in seeds],
         [deactivation_key(c, s, "matched") for s in seeds])
        for c in p.DEACTIVATE
    ]  # fmt: skip
    controls = [key for key in (OTHER_ITEM, ALWAYS_SHARED, MAGNITUDE) if key in tr.scores]
    compared = {OTHER_ITEM: "another item's set", ALWAYS_SHARED: "the fixed set",
                MAGNITUDE: "the magnitude control"}  # fmt: skip
    compared = {key: compared[key] for key in controls}
    if "all-shared" in p.DEACTIVATE:  # does zeroing all-shared hurt more than each other one?
        compared.update({deactivation_key(c): f"zeroing {c}" for c in p.DEACTIVATE
                         if c != "all-shared"})  # fmt: skip
    groups += [(key, [], []) for key in controls]
    groups += [(boost_key(f), [boost_key(f, s) for s in range(p.N_BOOST_RANDOM_SEEDS)], [])
               for f in p.BOOST_FACTORS]  # fmt: skip
    keys = ["none"] + [k for key, randoms, matched in groups for k in (key, *randoms, *matched)]
    acc = np.array([tr.correct(k).mean(1) for k in keys], dtype=float)  # [C, items]
    reps = dict(zip(keys, _replicates(acc, p), strict=True))
    point = dict(zip(keys, acc.mean(1), strict=True))
    margin = {k: float(tr.margin(k).mean()) for k in keys}
    rows = []
    own = deactivation_key("all-shared")
    for key, randoms, matched in [("none", [], []), *groups]:
        row = {
            "condition": key,
            "changed": tr.changed[key],
            **bootstrap.condition_row(reps[key], point[key], reps["none"], point["none"], LEVEL),
            "margin": margin[key],
            "per_language": tr.correct(key).mean(0).tolist(),
        }
        if key in compared:  # the item's own all-shared set minus this control or category
            reference = compared[key]
            row.update(
                bootstrap.versus(
                    reps[own] - reps[key], point[own] - point[key], "own_minus_control",
                    "own_vs_control", reference, LEVEL,
                )
            )  # fmt: skip
        for kind, draws in (("random", randoms), ("matched", matched)):
            if not draws:
                continue
            draw_reps = np.mean([reps[k] for k in draws], 0)
            draw_point = float(np.mean([point[k] for k in draws]))
            d_low, d_high = bootstrap.interval(draw_reps, LEVEL)
            reference = "its random sets" if kind == "random" else "its firing-matched sets"
            versus = bootstrap.versus(
                reps[key] - draw_reps, point[key] - draw_point, f"vs_{kind}",
                "verdict" if kind == "random" else "verdict_matched", reference, LEVEL,
            )  # fmt: skip
            row.update(
                {
                    kind: draw_point,
                    f"{kind}_low": float(d_low),
                    f"{kind}_high": float(d_high),
                    f"{kind}_margin": float(np.mean([margin[k] for k in draws])),
                    f"{kind}_changed": float(np.mean([tr.changed[k] for k in draws])),
                    **versus,
                }
            )
        rows.append(row)
    return rows


def _category_summary(out: dict[str, Any], kind: str, stats: CategoryStats, p: Parameters) -> None:
    shares = stats.shares.mean((0, 2))  # [4]: share of all neurons, mean over items
    per_item = stats.shares.mean(2)  # [items, 4]
    for c, slug in enumerate(CATEGORY_SLUGS):
        out[f"share_{kind}_{slug}_pct"] = 100 * float(shares[c])
        out[f"share_{kind}_{slug}_min_pct"] = 100 * float(per_item[:, c].min())
        out[f"share_{kind}_{slug}_max_pct"] = 100 * float(per_item[:, c].max())
        out[f"stable_{kind}_{slug}"] = int(stats.stable[c])
        out[f"all_tokens_{kind}_{slug}_pct"] = 100 * float(stats.all_tokens[c])
        out[f"sweep_{kind}_{slug}_last_pct"] = 100 * float(stats.sweep[-1, c])
        layer_mean = stats.shares[:, c].mean(0)
        out[f"peak_layer_{kind}_{slug}"] = int(layer_mean.argmax())
    out[f"stable_{kind}_total"] = int(stats.stable.sum())
    out[f"stable_{kind}_pct"] = 100 * float(stats.stable.sum()) / stats.codes[0].size
    out[f"n_items_{kind}"] = int(stats.codes.shape[0])
    out[f"n_languages_{kind}"] = len(stats.languages)
    out.setdefault("categories", {})[kind] = {
        "languages": list(stats.languages),
        "layer_mean": stats.shares.mean(0).tolist(),  # [4, L]
        "layer_min": stats.shares.min(0).tolist(),
        "layer_max": stats.shares.max(0).tolist(),
        "sweep": stats.sweep.tolist(),
        "all_tokens": stats.all_tokens.tolist(),
        "stable": stats.stable.tolist(),
    }


def summarise(results: Results) -> dict[str, Any]:
    """Every number chapter 5 quotes (glued under these names) and the data of its figures: the
    categories of plain sentences and of the controls, then per task its categories, claim (i),
    the attributions, the accuracies and the interventions (one helper each)."""
    p = results.parameters
    out: dict[str, Any] = {
        "n_all": results.n_layers * results.n_neurons,
        "n_layers": results.n_layers,
        "threshold": p.THRESHOLD,
        "thresholds": list(p.THRESHOLDS),
        "threshold_last": p.THRESHOLDS[-1],
        "top_k": p.TOP_K,
        "top_k_pct": 100 * p.TOP_K / results.n_neurons,
        "level_pct": 100 * LEVEL,
        "n_bootstrap": p.N_BOOTSTRAP,
        "n_random_seeds": p.N_RANDOM_SEEDS,
        "n_boost_random_seeds": p.N_BOOST_RANDOM_SEEDS,
        "category_names": list(CATEGORIES),
        "input_names": {k: INPUT_NAMES[k] for k in ["sentences", *results.tasks]},
        "data_source": p.DATA_SOURCE,
        "tasks": list(results.tasks),
    }
    _category_summary(out, "sentences", results.sentences, p)
    for kind, stats in results.controls.items():
        _category_summary(out, kind, stats, p)
    out["control_names"] = {k: CONTROL_NAMES[k] for k in results.controls}
    out["task_results"] = {}
    for name, tr in results.tasks.items():
        _category_summary(out, name, tr.categories, p)
        _claim_i(out, name, results)
        out.update(_attribution_summary(name, tr))
        accuracy, interventions = accuracy_rows(tr, p), intervention_rows(tr, p)
        out["task_results"][name] = {
            "languages": list(tr.task.languages),
            "chance": tr.task.chance,
            "n_items": tr.task.n_items,
            "n_choices": tr.task.n_choices,
            "accuracy": accuracy,
            "interventions": interventions,
            "attribution_top": {a: tr.attribution.top_shares[a].tolist() for a in ATTRIBUTIONS},
            "attribution_base": tr.categories.shares.mean(0).tolist(),  # share of all neurons
            "attribution_mean": {a: tr.attribution.mean_score[a].tolist() for a in ATTRIBUTIONS},
            "agreement": tr.attribution.agreement.tolist(),
        }
        out.update(_accuracy_summary(name, tr, accuracy))
        out.update(_intervention_summary(name, interventions))
    out["units"] = UNITS
    return out


def _claim_i(out: dict[str, Any], name: str, results: Results) -> None:
    """Claim (i) on task ``name``: how far the task moves the shares from plain sentences (the
    template control for translation), and whether the inputs do (``out`` gains the keys)."""
    # claim (i): how far the task moves the shares from plain sentences
    for slug in CATEGORY_SLUGS:
        _shift(out, name, "sentences", slug)
    if name == "translation" and results.controls:
        # the template control: the same languages on both sides, and prompts whose last
        # tokens are the sentence's (not the target's name, alike in every language)
        for slug in CATEGORY_SLUGS:
            _shift(out, "translation_ending", "sentences_task_languages", slug)
    # the task half read where the prompt ending cannot cause it (translation: the
    # template control), the input half from the neurons that keep their category
    task_kind = "translation_ending" if "ranges_translation_ending_all_shared" in out and (
        name == "translation") else name  # fmt: skip
    halves = (
        out[f"ranges_{task_kind}_all_shared"] == "do not overlap",
        out[f"stable_{name}_pct"] < 50,
    )
    out[f"claim_i_{name}"] = {
        (True, True): "Both halves of claim (i) hold here",
        (True, False): "Only the first half of claim (i) (the task) holds here",
        (False, True): "Only the second half of claim (i) (the inputs) holds here",
        (False, False): "Neither half of claim (i) holds here",
    }[halves]


def _attribution_summary(name: str, tr: TaskResults) -> dict[str, Any]:
    """Claim (ii), attribution: each category's share of the top contributors and mean score,
    against its share of all neurons and of the neurons that fire on the prompt."""
    out: dict[str, Any] = {}
    attribution = tr.attribution
    base = tr.categories.shares.mean(0)  # [4, L]: the share of all neurons
    for a in ATTRIBUTIONS:
        top = attribution.top_shares[a]  # [4, L]
        for c, slug in enumerate(CATEGORY_SLUGS):
            out[f"top_{a}_{name}_{slug}_pct"] = 100 * float(top[c].mean())
            out[f"mean_{a}_{name}_{slug}"] = float(attribution.mean_score[a][c])
        ratio = attribution.mean_score[a][sharing.ALL] / np.nanmean(
            np.delete(attribution.mean_score[a], sharing.ALL)
        )
        out[f"mean_{a}_{name}_all_shared_ratio"] = float(ratio)
        ranking = np.argsort(-np.nan_to_num(attribution.mean_score[a], nan=-np.inf))
        out[f"ranking_{a}_{name}"] = " > ".join(CATEGORIES[c] for c in ranking)
    out[f"ranking_agree_{name}"] = (
        "the same" if out[f"ranking_contribution_{name}"] == out[f"ranking_gradient_{name}"]
        else "a different"
    )  # fmt: skip
    out[f"agreement_{name}"] = float(attribution.agreement.mean())
    out[f"agreement_{name}_min"] = float(attribution.agreement.min())
    out[f"agreement_{name}_max"] = float(attribution.agreement.max())
    out[f"base_{name}_all_shared_pct"] = 100 * float(base[sharing.ALL].mean())
    # the share among the neurons that fire on the prompt (in its language): about half of
    # all neurons do not fire at all, and attribution ranks firing neurons first
    n_shared = (tr.categories.codes == sharing.ALL).sum(-1)  # [items, L]
    firing = np.maximum(tr.categories.n_firing, 1)  # [items, languages, L]
    out[f"base_firing_{name}_all_shared_pct"] = 100 * float((n_shared[:, None] / firing).mean())
    return out


def _accuracy_summary(name: str, tr: TaskResults, accuracy: list[dict[str, Any]]) -> dict[str, Any]:
    """The task's accuracy, over languages and per language, against chance."""
    out: dict[str, Any] = {}
    out[f"chance_{name}"] = tr.task.chance
    out[f"n_task_items_{name}"] = tr.task.n_items
    out[f"n_task_languages_{name}"] = len(tr.task.languages)
    out[f"n_choices_{name}"] = tr.task.n_choices
    mean = accuracy[-1]
    out[f"accuracy_{name}"] = mean["accuracy"]
    out[f"accuracy_{name}_low"] = mean["low"]
    out[f"accuracy_{name}_high"] = mean["high"]
    per_lang = accuracy[:-1]
    above = [r for r in per_lang if r["low"] > tr.task.chance]
    out[f"above_chance_{name}"] = len(above)
    worst = min(per_lang, key=lambda r: r["accuracy"])
    best = max(per_lang, key=lambda r: r["accuracy"])
    out[f"worst_language_{name}"] = data.LANGUAGE_NAMES.get(worst["language"], worst["language"])
    out[f"worst_accuracy_{name}"] = worst["accuracy"]
    out[f"best_language_{name}"] = data.LANGUAGE_NAMES.get(best["language"], best["language"])
    out[f"best_accuracy_{name}"] = best["accuracy"]
    return out


def _intervention_summary(name: str, interventions: list[dict[str, Any]]) -> dict[str, Any]:
    """Claims (ii) deactivation and (iii) boosting: every intervention row's numbers under
    flat names, and the best boosting factor."""
    out: dict[str, Any] = {}
    for row in interventions:
        slug = _condition_slug(row["condition"])
        for f in ("accuracy", "delta", "delta_low", "delta_high", "changed", "margin"):
            out[f"{f}_{name}_{slug}"] = row[f]
        for f in ("random", "vs_random", "vs_random_low", "vs_random_high", "verdict",
                  "matched", "vs_matched", "vs_matched_low", "vs_matched_high",
                  "verdict_matched", "own_minus_control", "own_minus_control_low",
                  "own_minus_control_high", "own_vs_control"):  # fmt: skip
            if f in row:
                out[f"{f}_{name}_{slug}"] = row[f]
    boosts = [r for r in interventions if r["condition"].startswith("boost")]
    if boosts:
        best_boost = max(boosts, key=lambda r: r["delta"])
        out[f"best_boost_{name}"] = best_boost["condition"].removeprefix("boost ")
        out[f"best_boost_delta_{name}"] = best_boost["delta"]
        out[f"best_boost_delta_low_{name}"] = best_boost["delta_low"]
        out[f"best_boost_delta_high_{name}"] = best_boost["delta_high"]
        out[f"best_boost_verdict_{name}"] = best_boost["verdict"]
        out[f"best_boost_margin_{name}"] = best_boost["margin"]
        helps = [r for r in boosts if r["delta_low"] > 0 and r["vs_random_low"] > 0]
        out[f"boost_helps_{name}"] = (
            f"helps (at {', '.join(r['condition'].removeprefix('boost ') for r in helps)})"
            if helps
            else "does not help"
        )
    return out


def measured_points(summary: dict[str, Any]) -> list[str]:
    """What a run that is not the default one measured, one sentence each (the "What we found"
    section's list on such a run); a task or deactivation this run did not include is left
    out."""
    s = summary

    def shares(kind: str) -> str:
        return ", ".join(
            f"{slug.replace('_', '-')} {s[f'share_{kind}_{slug}_pct']:.1f} %"
            for slug in CATEGORY_SLUGS
        )

    points = [f"On plain sentences, the share of all neurons: {shares('sentences')}."]
    for task in s["tasks"]:
        point = f"{task}: {shares(task)}"
        if f"accuracy_{task}" in s:
            point += (
                f"; accuracy {s[f'accuracy_{task}']:.2f} ({s[f'accuracy_{task}_low']:.2f}–"
                f"{s[f'accuracy_{task}_high']:.2f})"
            )
        if f"delta_{task}_zero_all_shared" in s:
            point += (
                f"; zeroing the all-shared neurons changes it by "
                f"{s[f'delta_{task}_zero_all_shared']:+.3f} "
                f"({s[f'verdict_{task}_zero_all_shared']})"
            )
        if f"boost_helps_{task}" in s:
            point += f"; boosting them {s[f'boost_helps_{task}']}"
        points.append(point + ".")
    return points


UNITS = {  # every key of the summary, by glob pattern
    "*_pct": "% of all neurons (top_*: % of the top-K contributors per layer, mean over "
    "layers and prompts; base_firing_*: % of the neurons that fire on the prompt)",
    "vs_matched_*": "difference from random sets matched per item and layer by joint bins "
    "of firing rate and mean |a|",
    "own_minus_control_*": "accuracy with the item's all-shared set zeroed minus with this "
    "condition",
    "stable_*": "neurons in the same category for every item",
    "accuracy_*, random_*": "task accuracy, mean over items and languages",
    "delta_*, vs_random_*": "difference of accuracies",
    "*_low, *_high": f"{100 * LEVEL:.0f} % paired bootstrap interval over items",
    "mean_*": "mean attribution score of the category's neurons",
    "agreement_*": "Jaccard overlap of the two attributions' top-K sets per layer",
    "margin_*, best_boost_margin_*": "log-prob of the correct choice minus the best wrong "
    "one (nats), mean over items and languages",
    "matched_*, chance_*, worst_accuracy_*, best_accuracy_*, best_boost_delta_*": "task "
    "accuracy (best_boost_delta_*: its change), mean over items and languages",
    "changed_*": "neurons changed per item",
    "peak_layer_*": "layer index, from 0",
    "threshold, thresholds, threshold_last": "activation value (the category threshold)",
    "best_boost_*": "the boosting factor chosen (x)",
    "n_all, top_k": "neurons",
    "n_layers, n_bootstrap, n_random_seeds, n_boost_random_seeds, n_items_*, "
    "n_languages_*, n_task_items_*, n_task_languages_*, n_choices_*, above_chance_*": "count",
    "verdict_*, own_vs_control_*, ranges_*, ranking_*, claim_i_*, boost_helps_*, "
    "worst_language_*, best_language_*, data_source, tasks, category_names, input_names, "
    "categories, control_names": "text",
    "task_results": "table rows (their columns say their units)",
}


def _shift(out: dict[str, Any], kind: str, reference: str, slug: str) -> None:
    """How far ``kind``'s share of category ``slug`` lies from ``reference``'s, and whether
    their ranges over items overlap (is the shift larger than the item-to-item spread?)."""
    out[f"share_shift_{kind}_{slug}_pct"] = (
        out[f"share_{kind}_{slug}_pct"] - out[f"share_{reference}_{slug}_pct"]
    )
    low_a, high_a = (out[f"share_{reference}_{slug}_{e}_pct"] for e in ("min", "max"))
    low_b, high_b = (out[f"share_{kind}_{slug}_{e}_pct"] for e in ("min", "max"))
    apart = low_b > high_a or low_a > high_b
    out[f"ranges_{kind}_{slug}"] = "do not overlap" if apart else "overlap"


def _condition_slug(key: str) -> str:
    """``zero all-shared`` -> ``zero_all_shared``; ``boost x1.5`` -> ``boost_1_5``."""
    return glue_name(key.replace("boost x", "boost "))


# --------------------------------------------------------------------------- tables

# an estimate to three decimals, its interval to two (the tables are wide)
_ci = functools.partial(bootstrap.interval_text, interval_digits=2)


def category_table(summary: dict[str, Any]) -> pd.DataFrame:
    """Per input kind: the share of all neurons in each category (mean over items and layers,
    with the range over items), on any token, and how many keep one category for every item."""
    rows = []
    names = {**summary["input_names"], **summary.get("control_names", {})}
    for kind, name in names.items():
        row: dict[str, Any] = {"input": f"{name} ({summary[f'n_languages_{kind}']} languages)"}
        for category, slug in zip(CATEGORIES, CATEGORY_SLUGS, strict=True):
            row[category] = (
                f"{summary[f'share_{kind}_{slug}_pct']:.1f} % "
                f"[{summary[f'share_{kind}_{slug}_min_pct']:.1f}, "
                f"{summary[f'share_{kind}_{slug}_max_pct']:.1f}]"
            )
        row["any token: all-shared / non-activated"] = (
            f"{summary[f'all_tokens_{kind}_all_shared_pct']:.1f} % / "
            f"{summary[f'all_tokens_{kind}_non_activated_pct']:.1f} %"
        )
        row["same category for every item"] = (
            f"{summary[f'stable_{kind}_total']:,} ({summary[f'stable_{kind}_pct']:.1f} %)"
        )
        rows.append(row)
    return pd.DataFrame(rows).set_index("input")


def accuracy_table(summary: dict[str, Any], task: str) -> pd.DataFrame:
    """Per language: accuracy [95 % CI] with no intervention, and the mean margin."""
    tr = summary["task_results"][task]
    rows = [
        {
            "language": data.LANGUAGE_NAMES.get(r["language"], r["language"])
            if r["language"] != "mean"
            else "mean over languages",
            "accuracy [95 % CI]": _ci(r["accuracy"], r["low"], r["high"]),
            "margin (nats)": f"{r['margin']:+.2f}",
        }
        for r in tr["accuracy"]
    ]
    return pd.DataFrame(rows).set_index("language")


def intervention_table(summary: dict[str, Any], task: str) -> pd.DataFrame:
    """Per intervention: neurons changed per item, mean accuracy [CI], change from none [CI],
    random sets' accuracy and the difference from them [CI], the difference from the
    firing-matched random sets [CI], the all-shared set minus each control [CI], mean margin."""
    rows = []
    for r in summary["task_results"][task]["interventions"]:
        has_random = "random" in r
        rows.append(
            {
                "intervention": r["condition"].replace("boost x", "boost all-shared ×")
                if r["condition"] != "none"
                else "none",
                "neurons per item": f"{r['changed']:,.0f}",
                "accuracy [95 % CI]": _ci(r["accuracy"], r["low"], r["high"]),
                "Δ vs none": _ci(r["delta"], r["delta_low"], r["delta_high"], True)
                if r["condition"] != "none"
                else "",
                "random sets": f"{r['random']:.3f}" if has_random else "",
                "Δ vs random": _ci(r["vs_random"], r["vs_random_low"], r["vs_random_high"], True)
                if has_random
                else "",
                "Δ vs firing-matched": _ci(
                    r["vs_matched"], r["vs_matched_low"], r["vs_matched_high"], True
                )
                if "matched" in r
                else "",
                "all-shared minus this": _ci(
                    r["own_minus_control"],
                    r["own_minus_control_low"],
                    r["own_minus_control_high"],
                    True,
                )
                if "own_minus_control" in r
                else "",
                "margin (nats)": f"{r['margin']:+.2f}",
            }
        )
    return pd.DataFrame(rows).set_index("intervention")


# --------------------------------------------------------------------------- figures


def plot_category_layers(summary: dict[str, Any]) -> None:
    """Share of each layer's neurons per category, one panel per kind of input: mean over
    items, band from the minimum to the maximum over items."""
    kinds = list(summary["input_names"])
    fig, axes = plotting.grid(1, len(kinds), panel_height=2.6, sharey=True)
    for ax, kind in zip(axes[0], kinds, strict=True):
        stats = summary["categories"][kind]
        mean, low, high = (np.array(stats[k]) for k in ("layer_mean", "layer_min", "layer_max"))
        for c, category in enumerate(CATEGORIES):
            color = plotting.color(c)
            ax.plot(np.arange(mean.shape[1]), mean[c], color=color, lw=1.5, label=category)
            ax.fill_between(
                np.arange(mean.shape[1]), low[c], high[c], color=color, alpha=0.18, lw=0
            )
        plotting.layer_axis(ax, mean.shape[1])
        ax.set_title(summary["input_names"][kind])
    axes[0, 0].set_ylabel("share of the layer's neurons")
    plotting.legend(fig, ncol=4)


def plot_threshold_sweep(summary: dict[str, Any]) -> None:
    """Share of all neurons per category against the activation threshold, per kind of input."""
    kinds = list(summary["input_names"])
    fig, axes = plotting.grid(1, len(kinds), panel_height=2.4, sharey=True)
    x = summary["thresholds"]
    for ax, kind in zip(axes[0], kinds, strict=True):
        sweep = np.array(summary["categories"][kind]["sweep"])
        for c, category in enumerate(CATEGORIES):
            ax.plot(x, sweep[:, c], "-o", ms=3, color=plotting.color(c), label=category)
        ax.set_xlabel("threshold")
        ax.set_title(summary["input_names"][kind])
    axes[0, 0].set_ylabel("share of all neurons")
    plotting.legend(fig, ncol=4)


def plot_attribution(summary: dict[str, Any], task: str) -> None:
    """Per layer, the share of the top-K contributors in each category (solid) beside the
    category's share of all neurons (dotted), for both attributions."""
    tr = summary["task_results"][task]
    fig, axes = plotting.grid(1, len(ATTRIBUTIONS), panel_height=2.6, sharey=True)
    base = np.array(tr["attribution_base"])
    for ax, (a, label) in zip(axes[0], ATTRIBUTIONS.items(), strict=True):
        top = np.array(tr["attribution_top"][a])
        for c, category in enumerate(CATEGORIES):
            color = plotting.color(c)
            plotting.layer_line(ax, top[c], f"{category}: top {summary['top_k']}", color)
            plotting.layer_line(ax, base[c], f"{category}: all neurons", color, style=":")
        ax.set_title(label)
    axes[0, 0].set_ylabel("share")
    plotting.legend(fig, ncol=4)


def plot_accuracy(summary: dict[str, Any]) -> None:
    """Task accuracy per language with 95 % intervals (no intervention); dotted: chance."""
    tasks = summary["tasks"]
    fig, axes = plotting.grid(1, len(tasks), panel_height=2.6, sharex=False, sharey=True)
    for ax, task in zip(axes[0], tasks, strict=True):
        rows = summary["task_results"][task]["accuracy"][:-1]
        x = np.arange(len(rows))
        acc = np.array([r["accuracy"] for r in rows])
        err = np.array([[r["accuracy"] - r["low"], r["high"] - r["accuracy"]] for r in rows]).T
        ax.bar(x, acc, yerr=err, color=plotting.color(0), capsize=2, width=0.7)
        ax.set_xticks(x, [r["language"] for r in rows])
        plotting.chance_line(ax, summary["task_results"][task]["chance"])
        ax.set_ylim(0, 1.05)
        ax.set_title(summary["input_names"][task].replace(" prompts", ""))
    axes[0, 0].set_ylabel("accuracy")
    plotting.legend(fig)


def plot_deactivation(summary: dict[str, Any]) -> None:
    """Mean accuracy with each category's neurons zeroed beside random sets of the same size per
    item and layer, drawn from all other neurons and from those firing as often and as strongly
    (95 % intervals); dotted: no intervention."""
    tasks = summary["tasks"]
    fig, axes = plotting.grid(1, len(tasks), panel_height=2.6, sharex=False, sharey=True)
    for ax, task in zip(axes[0], tasks, strict=True):
        rows = [r for r in summary["task_results"][task]["interventions"]
                if r["condition"].startswith("zero") and "random" in r]  # fmt: skip
        # the categories only: the all-shared controls are in the table
        x = np.arange(len(rows))
        bars = [("category zeroed", "", plotting.color(0)), ("random", "random", "#bbbbbb")]
        if all("matched" in r for r in rows):  # summaries recorded before it have none
            bars.append(("random, firing-matched", "matched", "#666666"))
        width = 0.8 / len(bars)
        for offset, (label, key, color) in enumerate(bars):
            value = np.array([r[key or "accuracy"] for r in rows])
            low = np.array([r[f"{key}_low" if key else "low"] for r in rows])
            high = np.array([r[f"{key}_high" if key else "high"] for r in rows])
            ax.bar(x + (offset - (len(bars) - 1) / 2) * width, value, width,
                   yerr=[value - low, high - value], color=color, capsize=2, label=label)  # fmt: skip
        none = summary["task_results"][task]["interventions"][0]["accuracy"]
        plotting.chance_line(ax, none, "no intervention")
        ax.set_xticks(x, [r["condition"].removeprefix("zero ") for r in rows])
        ax.set_ylim(0, 1.05)
        ax.set_title(summary["input_names"][task].replace(" prompts", ""))
    axes[0, 0].set_ylabel("accuracy (mean over languages)")
    plotting.legend(fig, ncol=3)


def plot_boost(summary: dict[str, Any]) -> None:
    """Mean accuracy against the boosting factor: all-shared neurons scaled, random matched
    neurons scaled (95 % intervals as bands); factor 1 is no intervention."""
    tasks = summary["tasks"]
    fig, axes = plotting.grid(1, len(tasks), panel_height=2.6, sharex=False, sharey=True)
    for ax, task in zip(axes[0], tasks, strict=True):
        rows = summary["task_results"][task]["interventions"]
        none = rows[0]
        boosts = [r for r in rows if r["condition"].startswith("boost")]
        x = [1.0] + [float(r["condition"].removeprefix("boost x")) for r in boosts]
        for label, key, color in (
            ("all-shared scaled", "", plotting.color(0)),
            ("random, matched, scaled", "random", "#7f7f7f"),
        ):
            value = [none["accuracy"]] + [r[key or "accuracy"] for r in boosts]
            low = [none["low"]] + [r[f"{key}_low" if key else "low"] for r in boosts]
            high = [none["high"]] + [r[f"{key}_high" if key else "high"] for r in boosts]
            ax.plot(x, value, "-o", ms=3, color=color, label=label)
            ax.fill_between(x, low, high, color=color, alpha=0.15, lw=0)
        ax.set_xlabel("scaling factor")
        ax.set_title(summary["input_names"][task].replace(" prompts", ""))
    axes[0, 0].set_ylabel("accuracy (mean over languages)")
    plotting.legend(fig, ncol=2)


from .claims import CLAIMS as CLAIMS  # the chapter's claims and their rules

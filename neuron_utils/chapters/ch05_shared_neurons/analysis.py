"""Chapter 5's measurements: the categories of every kind of input, the attributions of the
correct answer, and every task scored under each deactivation and boost (:func:`analyse`)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ... import data
from ...core.activations import collect
from ...core.attribution import output_weight_norms, prompt_attribution
from ...core.interventions import PerTextIntervention
from ...core.lm_scoring import continuation_logprobs
from ...core.models import LoadedModel
from ...data.tasks import ChoiceTask
from ...methods import sharing
from ...methods.sharing import CATEGORIES
from .keys import ALWAYS_SHARED, MAGNITUDE, OTHER_ITEM, boost_key, deactivation_key
from .parameters import Parameters

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

"""Chapter 5's claims: what the seeds found that this chapter measures, the rule that judges
each on the chapter's typed summary (:mod:`neuron_utils.kit.claims`), and each rule's cases."""

from __future__ import annotations

import math

from ...kit.claims import WANG, Case, Claim, Summary, Verdict, below, grade
from ...methods.bootstrap import Comparison, Interval
from ...methods.sharing import CATEGORY_SLUGS
from .keys import (
    attribution_key,
    category_key,
    condition_key,
    deactivation_key,
    helping_factors,
    input_key,
)

TASK = "translation"  # the task the claims are judged on (the page is written around it)
R, P, N, T = Verdict.REPRODUCES, Verdict.PARTLY, Verdict.DOES_NOT, Verdict.NOT_TESTABLE


def _wang1(s: Summary) -> Verdict:
    # the task effect measured where the prompt ending cannot cause it: prompts that end in the
    # sentence, against plain sentences in the same languages
    by_task = (
        s[category_key("ranges_apart", "translation_ending", "all_shared", "")]
        and abs(s[category_key("share_shift", "translation_ending", "all_shared")]) >= 5
    )
    by_input = s[input_key("stable", TASK, "pct")] < 50
    return grade(by_task and by_input, by_task or by_input)


def _wang2_attribution(s: Summary) -> Verdict:
    # among neurons that fire on the input
    base = s[category_key("base_firing", TASK, "all_shared")]
    holds = [
        _ranks_first(s, kind)
        and s[attribution_key("top", kind, TASK, "all_shared", "pct")] >= 2 * base
        for kind in ("contribution", "gradient")
    ]
    return grade(all(holds), any(holds))


def _ranks_first(s: Summary, kind: str) -> bool:
    """All-shared neurons have the largest mean ``kind`` attribution of the four categories
    (NaN, a category with no neuron, never ranks first)."""
    means = {slug: s[attribution_key("mean", kind, TASK, slug)] for slug in CATEGORY_SLUGS}
    finite = {slug: m for slug, m in means.items() if isinstance(m, float) and math.isfinite(m)}
    return bool(finite) and max(finite, key=finite.get) == "all_shared"


def _does_the_task(s: Summary) -> bool:
    return s[input_key("above_chance", TASK)] >= s[input_key("n_task_languages", TASK)] / 2


def _wang2_deactivation(s: Summary) -> Verdict:
    if not _does_the_task(s):
        return Verdict.NOT_TESTABLE
    # against random sets that fire as often and as strongly (a set drawn from every other
    # neuron is mostly silent neurons)
    beyond = below(s[condition_key("verdict_matched", TASK, deactivation_key("all-shared"))])
    most = all(
        below(s[condition_key("own_vs_control", TASK, deactivation_key(c))])
        for c in ("partial-shared", "specific")
    )
    return grade(beyond and most, beyond)


def _wang3(s: Summary) -> Verdict:
    if not _does_the_task(s) or s[condition_key("accuracy", TASK, "none")] >= 1.0:
        return Verdict.NOT_TESTABLE  # at chance, or no room above the ceiling
    # the best factor is chosen on the items it is scored on: "helps" asks for an interval
    # above 0 both against no boost and against random sets, for some factor of the run's
    # (the summary's boost_factors)
    helps = bool(helping_factors(s, TASK))
    return grade(helps, s[input_key("best_boost_delta", TASK, "ci")].above(0))


# --------------------------------------------------------------------------- the rules' cases
# Each claim starts from a summary that should reproduce it (every key its numbers name), and
# changes one or two values to cross a threshold of its rule.

WANG1 = {
    "share_translation_all_shared_pct": 22.0, "share_sentences_all_shared_pct": 13.0,
    "ranges_apart_translation_all_shared": True,
    "ranges_text_translation_all_shared": "do not overlap",
    "share_shift_translation_all_shared_pct": 9.0,
    "share_translation_ending_all_shared_pct": 20.0,
    "share_sentences_task_languages_all_shared_pct": 13.5,
    "ranges_apart_translation_ending_all_shared": True,
    "ranges_text_translation_ending_all_shared": "do not overlap",
    "share_shift_translation_ending_all_shared_pct": 6.5,
    "stable_translation_pct": 40.0, "share_sentences_task_languages_all_shared_min_pct": 11.0,
    "share_sentences_task_languages_all_shared_max_pct": 14.0,
}  # fmt: skip
# the template control's item ranges overlap
ENDING_OVERLAPS = {
    "ranges_apart_translation_ending_all_shared": False,
    "ranges_text_translation_ending_all_shared": "overlap",
}
WANG2A = {
    "top_contribution_translation_all_shared_pct": 76.0,
    "top_gradient_translation_all_shared_pct": 63.0, "base_translation_all_shared_pct": 12.0,
    "base_firing_translation_all_shared_pct": 30.0,
    "ranking_contribution_translation": "all-shared > non-activated > specific > partial-shared",
    "ranking_gradient_translation": "all-shared > specific > non-activated > partial-shared",
    # the mean scores the rankings come from (a category with no neuron: NaN)
    **{attribution_key("mean", kind, TASK, slug): v for kind, values in (
        ("contribution", (0.9, 0.1, 0.2, 0.3)), ("gradient", (0.8, 0.1, 0.3, float("nan"))))
       for slug, v in zip(CATEGORY_SLUGS, values, strict=True)},
}  # fmt: skip
WANG2D = {
    "above_chance_translation": 7, "n_task_languages_translation": 7,
    "accuracy_translation_none": 0.9, "accuracy_translation_zero_all_shared": 0.5,
    "delta_translation_zero_all_shared": -0.4, "delta_translation_zero_partial_shared": -0.1,
    "delta_translation_zero_specific": 0.0, "random_translation_zero_all_shared": 0.88,
    "verdict_translation_zero_all_shared": Comparison.BELOW,
    "matched_translation_zero_all_shared": 0.8,
    "verdict_matched_translation_zero_all_shared": Comparison.BELOW,
    "own_minus_control_translation_zero_partial_shared": -0.3,
    "own_vs_control_translation_zero_partial_shared": Comparison.BELOW,
    "own_minus_control_translation_zero_specific": -0.4,
    "own_vs_control_translation_zero_specific": Comparison.BELOW,
    "accuracy_translation_zero_as_many_top_a_neurons": 0.55,
}  # fmt: skip
WANG3 = {
    "above_chance_translation": 7, "n_task_languages_translation": 7,
    "accuracy_translation_none": 0.8, "best_boost_translation": "x1.5",
    "best_boost_delta_translation": 0.05,
    "best_boost_delta_translation_ci": Interval(0.01, 0.09),
    "boost_helps_translation": "helps (at x1.5)",
    "best_boost_verdict_translation": Comparison.ABOVE,
    # per factor of the run: the change's and the difference from random sets' intervals
    "boost_factors": [1.5, 3.0],
    "delta_translation_boost_1_5_ci": Interval(0.01, 0.09),
    "vs_random_translation_boost_1_5_ci": Interval(0.004, 0.08),
    "delta_translation_boost_3_ci": Interval(-0.2, -0.05),
    "vs_random_translation_boost_3_ci": Interval(-0.1, 0.02),
}  # fmt: skip
# above no boost, not beyond its random sets
NOT_BEYOND_RANDOM = {
    "vs_random_translation_boost_1_5_ci": Interval(-0.01, 0.06),
    "boost_helps_translation": "does not help",
}


CLAIMS: tuple[Claim, ...] = (
    Claim(
        id="wang-i",
        seed=WANG,
        where="abstract, finding (i)",
        statement="Sharing patterns depend strongly on the task, and vary across inputs of one task.",
        section="Categories, layer by layer",
        measured="all-shared on translation prompts ending in the sentence "
        "{share_translation_ending_all_shared_pct:.1f} % vs {share_sentences_task_languages_"
        "all_shared_pct:.1f} % on plain sentences in the same languages (item ranges "
        "{ranges_text_translation_ending_all_shared}); the task's own prompts "
        "{share_translation_all_shared_pct:.1f} %; {stable_translation_pct:.0f} % of neurons "
        "keep one category for every item",
        baseline="item range, plain sentences {share_sentences_task_languages_all_shared_min_pct:.1f} to "
        "{share_sentences_task_languages_all_shared_max_pct:.1f} %",
        rule=_wang1,
        rule_text="the template control: prompts whose last tokens are the sentence's, against plain "
        "sentences in the same languages; reproduces: the task moves the all-shared share by 5 "
        "points or more with item ranges that do not overlap, and fewer than half of the "
        "neurons keep one category for every item; partly: one of the two",
        reason="The task's own prompts all end in the target language's name, alike in every "
        "language: that alone makes the last-token states alike.",
        cases=(
            Case(WANG1, R, "the controlled shift is 6.5 points, apart; 40 % keep their category"),
            Case({**WANG1, "stable_translation_pct": 60.0}, P, "most neurons keep their category"),
            Case(
                {**WANG1, **ENDING_OVERLAPS},
                P,
                "the task's own prompts differ, but with the sentence at the end they do not",
            ),
            Case(
                {**WANG1, "share_shift_translation_ending_all_shared_pct": -4.0},
                P,
                "the controlled shift is under 5 points",
            ),
            Case(
                {**WANG1, **ENDING_OVERLAPS, "stable_translation_pct": 60.0},
                N,
                "neither half: the ranges overlap and most neurons keep their category",
            ),
        ),
    ),
    Claim(
        id="wang-ii-attribution",
        seed=WANG,
        where="abstract, finding (ii)",
        statement="All-shared neurons matter most for the correct answer (attribution).",
        section="Which neurons produce the answer?",
        measured="all-shared among the top neurons: {top_contribution_translation_all_shared_pct:.0f} % "
        "(contribution score), {top_gradient_translation_all_shared_pct:.0f} % (gradient)",
        baseline="their share of the neurons that fire on the prompt "
        "{base_firing_translation_all_shared_pct:.0f} % (of all neurons "
        "{base_translation_all_shared_pct:.0f} %)",
        rule=_wang2_attribution,
        rule_text="against their share among the neurons that fire on the input (attribution ranks "
        "firing neurons first); reproduces: all-shared neurons rank first and take at least "
        "twice that share of the top neurons by both attributions; partly: by one",
        reason="Attribution favours neurons that fire often and large, which all-shared neurons are.",
        cases=(
            Case(WANG2A, R, "first by both, 76 % and 63 % of the top against 30 % of firing"),
            Case(
                {**WANG2A, "top_gradient_translation_all_shared_pct": 30.0},
                P,
                "the gradient's top holds them only at their firing share",
            ),
            Case(
                {**WANG2A, "base_firing_translation_all_shared_pct": 40.0},
                N,
                "twice their share of all neurons, not of the neurons that fire",
            ),
            Case(
                {
                    **WANG2A,
                    "ranking_contribution_translation": "specific > all-shared > non-activated "
                    "> partial-shared",
                    "mean_contribution_translation_specific": 1.2,  # ranks above all-shared
                    "top_gradient_translation_all_shared_pct": 30.0,
                },
                N,
                "second by contribution, and under twice the firing share by gradient",
            ),
        ),
    ),
    Claim(
        id="wang-ii-deactivation",
        seed=WANG,
        where="abstract, finding (ii); third version",
        statement="Deactivating all-shared neurons hurts accuracy more than other categories.",
        section="Deactivation",
        measured="translation choice: {accuracy_translation_none:.2f} → "
        "{accuracy_translation_zero_all_shared:.2f} with all-shared zeroed; all-shared minus "
        "partial {own_minus_control_translation_zero_partial_shared:+.3f} "
        "({own_vs_control_translation_zero_partial_shared.value} zeroing partial-shared), minus "
        "specific {own_minus_control_translation_zero_specific:+.3f} "
        "({own_vs_control_translation_zero_specific.value} zeroing specific)",
        baseline="random sets firing as often and as strongly: "
        "{matched_translation_zero_all_shared:.2f} (zeroing all-shared is "
        "{verdict_matched_translation_zero_all_shared.value} them); drawn from every other neuron "
        "{random_translation_zero_all_shared:.2f}; as many neurons of the largest mean |a| "
        "{accuracy_translation_zero_as_many_top_a_neurons:.2f}",
        rule=_wang2_deactivation,
        rule_text="on a task the model does (above chance in half of the languages or more), against "
        "random sets matched per item and layer by firing rate and |a|; reproduces when "
        "zeroing all-shared is below them and below zeroing each other category (intervals); "
        "partly: below them only",
        reason="Zeroing another item's all-shared set, or as many of the largest neurons, does about "
        "as much: large, frequently firing neurons.",
        cases=(
            Case(WANG2D, R, "below its firing-matched sets and below zeroing each other category"),
            Case(
                {
                    **WANG2D,
                    "own_vs_control_translation_zero_specific": Comparison.NOT_DISTINGUISHABLE,
                },
                P,
                "below its firing-matched sets, not below zeroing specific neurons",
            ),
            Case(
                {
                    **WANG2D,
                    "verdict_matched_translation_zero_all_shared": Comparison.NOT_DISTINGUISHABLE,
                },
                N,
                "below random sets drawn from every neuron, not below firing-matched ones",
            ),
            Case({**WANG2D, "above_chance_translation": 3}, T, "at chance in most languages"),
        ),
    ),
    Claim(
        id="wang-iii",
        seed=WANG,
        where="abstract, finding (iii)",
        statement="Boosting all-shared neurons improves multilingual accuracy.",
        section="Boosting all-shared neurons",
        measured="best boost {best_boost_translation}: {best_boost_delta_translation:+.3f} "
        "[{best_boost_delta_translation_ci.low:+.3f}, {best_boost_delta_translation_ci.high:+.3f}]"
        " ({boost_helps_translation})",
        baseline="no boost {accuracy_translation_none:.2f}; the best factor "
        "{best_boost_verdict_translation.value} its random sets",
        rule=_wang3,
        rule_text="on a task the model does, below its ceiling: reproduces when a factor helps beyond its "
        "random sets (intervals over items); partly: when the best factor's change has an "
        "interval above 0",
        reason="The paper does not say how it boosted (dropped from its second version); here each "
        "item's all-shared neurons are multiplied at every position.",
        cases=(
            Case(WANG3, R, "x1.5 helps: above no boost and beyond its random sets"),
            Case({**WANG3, **NOT_BEYOND_RANDOM}, P, "above no boost, not beyond its random sets"),
            Case(
                {
                    **WANG3,
                    **NOT_BEYOND_RANDOM,
                    "best_boost_delta_translation_ci": Interval(0.0, 0.1),
                },
                N,
                "the best factor's interval reaches 0",
            ),
            Case(
                {
                    **WANG3,
                    **NOT_BEYOND_RANDOM,
                    "best_boost_delta_translation": 0.02,
                    "best_boost_delta_translation_ci": Interval(-0.01, 0.05),
                },
                N,
                "a point estimate above 0 whose interval is not: no direction",
            ),
            Case({**WANG3, "accuracy_translation_none": 1.0}, T, "no room above the ceiling"),
        ),
    ),
)

"""Chapter 5's claims: what the seeds found that this chapter measures, and the rule
that judges each on the chapter's summary (:mod:`neuron_utils.kit.claims`)."""

from __future__ import annotations

import math

from ...kit.claims import WANG, Claim, Summary, Verdict, below, grade
from ...methods.sharing import CATEGORY_SLUGS


def _wang1(s: Summary) -> Verdict:
    # the task effect measured where the prompt ending cannot cause it: prompts that end in the
    # sentence, against plain sentences in the same languages
    by_task = (
        s["ranges_translation_ending_all_shared"] == "do not overlap"
        and abs(s["share_shift_translation_ending_all_shared_pct"]) >= 5
    )
    by_input = s["stable_translation_pct"] < 50
    return grade(by_task and by_input, by_task or by_input)


def _wang2_attribution(s: Summary) -> Verdict:
    base = s["base_firing_translation_all_shared_pct"]  # among neurons that fire on the input
    holds = [
        _ranks_first(s, kind) and s[f"top_{kind}_translation_all_shared_pct"] >= 2 * base
        for kind in ("contribution", "gradient")
    ]
    return grade(all(holds), any(holds))


def _ranks_first(s: Summary, kind: str) -> bool:
    """All-shared neurons have the largest mean ``kind`` attribution of the four categories
    (NaN, a category with no neuron, never ranks first)."""
    means = {slug: s[f"mean_{kind}_translation_{slug}"] for slug in CATEGORY_SLUGS}  # ch. 5's
    finite = {slug: m for slug, m in means.items() if isinstance(m, float) and math.isfinite(m)}
    return bool(finite) and max(finite, key=finite.get) == "all_shared"


def _boost_helps(s: Summary) -> bool:
    """Some boosting factor raises accuracy with an interval above 0, both against no boost
    and against its random sets (the rows ``delta_low_translation_boost_*``)."""
    prefix = "delta_low_translation_boost_"
    return any(
        value > 0 and s[f"vs_random_low_translation_boost_{key.removeprefix(prefix)}"] > 0
        for key, value in s.items()
        if key.startswith(prefix)
    )


def _does_the_task(s: Summary) -> bool:
    return s["above_chance_translation"] >= s["n_task_languages_translation"] / 2


def _wang2_deactivation(s: Summary) -> Verdict:
    if not _does_the_task(s):
        return Verdict.NOT_TESTABLE
    # against random sets that fire as often and as strongly (a set drawn from every other
    # neuron is mostly silent neurons)
    beyond = below(s["verdict_matched_translation_zero_all_shared"])
    most = all(
        below(s[f"own_vs_control_translation_zero_{c}"]) for c in ("partial_shared", "specific")
    )
    return grade(beyond and most, beyond)


def _wang3(s: Summary) -> Verdict:
    if not _does_the_task(s) or s["accuracy_translation_none"] >= 1.0:
        return Verdict.NOT_TESTABLE  # at chance, or no room above the ceiling
    # the best factor is chosen on the items it is scored on: "helps" asks for an interval
    # above 0 both against no boost and against random sets
    return grade(_boost_helps(s), s["best_boost_delta_low_translation"] > 0)


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
        "{ranges_translation_ending_all_shared}); the task's own prompts "
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
        "({own_vs_control_translation_zero_partial_shared}), minus specific "
        "{own_minus_control_translation_zero_specific:+.3f}",
        baseline="random sets firing as often and as strongly: "
        "{matched_translation_zero_all_shared:.2f} "
        "({verdict_matched_translation_zero_all_shared}); drawn from every other neuron "
        "{random_translation_zero_all_shared:.2f}; as many neurons of the largest mean |a| "
        "{accuracy_translation_zero_as_many_top_a_neurons:.2f}",
        rule=_wang2_deactivation,
        rule_text="on a task the model does (above chance in half of the languages or more), against "
        "random sets matched per item and layer by firing rate and |a|; reproduces when "
        "zeroing all-shared is below them and below zeroing each other category (intervals); "
        "partly: below them only",
        reason="Zeroing another item's all-shared set, or as many of the largest neurons, does about "
        "as much: large, frequently firing neurons.",
    ),
    Claim(
        id="wang-iii",
        seed=WANG,
        where="abstract, finding (iii)",
        statement="Boosting all-shared neurons improves multilingual accuracy.",
        section="Boosting all-shared neurons",
        measured="best boost {best_boost_translation}: {best_boost_delta_translation:+.3f} "
        "({boost_helps_translation})",
        baseline="no boost {accuracy_translation_none:.2f}; {best_boost_verdict_translation}",
        rule=_wang3,
        rule_text="on a task the model does, below its ceiling: reproduces when a factor helps beyond its "
        "random sets (intervals over items); partly: when the best factor's change has an "
        "interval above 0",
        reason="The paper does not say how it boosted (dropped from its second version); here each "
        "item's all-shared neurons are multiplied at every position.",
    ),
)

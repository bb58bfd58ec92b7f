"""Chapter 3's claims: what the seeds found that this chapter measures, and the rule
that judges each on the chapter's summary (:mod:`neuron_utils.kit.claims`)."""

from __future__ import annotations

from ...kit.claims import TANG, Claim, Summary, Verdict, grade


def _u_shape(s: Summary) -> Verdict:
    # each end (3 layers) against the share that uniform placement reaches 2.5 % of the time
    bound = s["end_share_uniform_q975"]
    ends = [s["first_share"] > bound, s["last_share"] > bound]
    return grade(all(ends), any(ends))


def _diagonal(s: Summary) -> Verdict:
    # intervals over held-out sentences, paired across the deactivated sets
    return grade(
        s["diag_beyond_twice_low"] > 0 and s["diag_is_row_max"] == s["n_languages"],
        s["diag_minus_offdiag_low"] > 0,
    )


def _related(s: Summary) -> Verdict:
    if min(s["zh_ja"], s["fr_es"]) < 0:
        return Verdict.NOT_TESTABLE  # a language of the pairs is not in LANGUAGES
    overlap = min(s["zh_ja"], s["fr_es"]) >= 2 * s["shared_offdiag_median"]
    # the interval over held-out sentences of (smallest related change - the larger baseline)
    interfere = s["related_minus_baseline_low"] > 0
    return grade(overlap and interfere, overlap or interfere)


def _steering_by(s: Summary, slug: str) -> Verdict:
    fair_judge = s["steer_unchanged_fluent"] >= 0.75  # the fluency rule passes unsteered text
    return grade(
        s[f"steer_success_{slug}_low"] >= 0.5 and fair_judge, s[f"steer_target_{slug}_low"] >= 0.5
    )


def _steering(s: Summary) -> Verdict:
    return _steering_by(s, "swap")


def _steering_activate_only(s: Summary) -> Verdict:
    return _steering_by(s, "lape")


CLAIMS: tuple[Claim, ...] = (
    Claim(
        id="tang-u-shape",
        seed=TANG,
        where="slides: where are the neurons",
        statement="Language-specific neurons concentrate in the first and last layers (a U shape).",
        section="Where are the language-specific neurons?",
        measured="first three layers {first_share:.1f} %, middle six {middle_share:.0f} %, last three "
        "{last_share:.1f} % of {n_selected} neurons",
        baseline="three layers' uniform share {end_share_uniform:.1f} %, reached by chance up to "
        "{end_share_uniform_q975:.1f} % (binomial 97.5th percentile)",
        rule=_u_shape,
        rule_text="each end (three layers) against what uniform placement gives by chance; reproduces: "
        "both ends hold more than that; partly: one end",
        reason="The U is lopsided here: the last layers dominate.",
    ),
    Claim(
        id="tang-ppl-diagonal",
        seed=TANG,
        where="slides: deactivation perplexity",
        statement="Deactivating a language's neurons raises the perplexity of that language most (the "
        "diagonal).",
        section="Deactivation perplexity matrix",
        measured="diagonal {diag_mean:+.0f} %, off-diagonal {offdiag_mean:+.0f} %; diagonal largest in "
        "{diag_is_row_max} of {n_languages} rows",
        baseline="random neurons {random_mean:+.1f} %",
        rule=_diagonal,
        rule_text="reproduces: the diagonal rises more than twice the off-diagonal and the random set "
        "(the 95 % interval over held-out sentences of the difference is above 0), and is the "
        "largest change of every row; partly: it rises more than the off-diagonal (by its "
        "interval)",
        reason="A language with few neurons (English here) has a weak row.",
    ),
    Claim(
        id="tang-related-overlap",
        seed=TANG,
        where="slides: other models",
        statement="Related languages (zh–ja, fr–es) share neurons and interfere when deactivated.",
        section="Entropy and language overlap",
        measured="shared neurons zh–ja {zh_ja}, fr–es {fr_es}; smallest cross change "
        "{related_ppl_change_min:+.0f} % [{related_ppl_change_min_low:+.0f}, "
        "{related_ppl_change_min_high:+.0f}]",
        baseline="median pair {shared_offdiag_median:.0f} neurons; median off-diagonal change "
        "{offdiag_median:+.0f} %",
        rule=_related,
        rule_text="reproduces: both pairs share at least twice the median pair's neurons and each "
        "deactivation raises the partner's perplexity more than the median off-diagonal cell "
        "and the random set (the 95 % interval over held-out sentences of the smallest "
        "related change minus the larger of the two is above 0); partly: one of the two",
        reason="The bundled corpus has eight languages, two pairs of them related.",
    ),
    Claim(
        id="tang-steering",
        seed=TANG,
        where="slides: case study",
        statement="Deactivating the source language's neurons and activating the target's makes the "
        "model answer fluently in the target language.",
        section="A simpler rival: steering by a difference of means",
        measured="on prompts that did not choose the scale: source off, target on (scales "
        "{steer_half_scales_swap}) {steer_target_swap:.2f} in the target language, "
        "{steer_success_swap:.2f} also fluent ({steer_success_swap_low:.2f}–"
        "{steer_success_swap_high:.2f}); target on only {steer_success_lape:.2f}; DiffMean "
        "{steer_success_diffmean:.2f}. Winner: {steer_winner}",
        baseline="unsteered continuations judged fluent: {steer_unchanged_fluent:.2f}",
        rule=_steering,
        rule_text="the scale chosen on the other half of the prompts, intervals over prompts; "
        "reproduces: the interval of fluent continuations in the target language lies at 0.5 "
        "or above, with a fluency rule that passes 3/4 or more of unsteered text; partly: the "
        "interval of continuations in the target language does",
        reason="A 270M model steered with 20 greedy tokens; a language identifier needs only a few "
        "characters of the target script.",
        variant=("the target's neurons activated only", _steering_activate_only),
    ),
    Claim(
        id="tang-open-ended",
        seed=TANG,
        where="slides: open-ended generation",
        statement="Deactivating a language's neurons degrades open-ended answers in that language (GPT-4 "
        "ratings).",
        section="Deactivation perplexity matrix",
        rule_text="not testable",
        reason="Needs an LLM judge; the book measures deactivation by perplexity, offline.",
    ),
)

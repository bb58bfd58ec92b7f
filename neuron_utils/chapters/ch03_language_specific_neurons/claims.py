"""Chapter 3's claims: what the seeds found that this chapter measures, the rule that judges
each on the chapter's typed summary (:mod:`neuron_utils.kit.claims`), and each rule's cases."""

from __future__ import annotations

from ...kit.claims import TANG, Case, Claim, Summary, Verdict, grade
from ...methods.bootstrap import Interval
from .summary import ci_key, held_out_key

R, P, N, T = Verdict.REPRODUCES, Verdict.PARTLY, Verdict.DOES_NOT, Verdict.NOT_TESTABLE


def _u_shape(s: Summary) -> Verdict:
    # each end (3 layers) against the share that uniform placement reaches 2.5 % of the time
    bound = s["end_share_uniform_q975"]
    ends = [s["first_share"] > bound, s["last_share"] > bound]
    return grade(all(ends), any(ends))


def _diagonal(s: Summary) -> Verdict:
    # intervals over held-out sentences, paired across the deactivated sets
    return grade(
        s["diag_beyond_twice_ci"].above(0) and s["diag_is_row_max"] == s["n_languages"],
        s["diag_minus_offdiag_ci"].above(0),
    )


def _related(s: Summary) -> Verdict:
    if min(s["zh_ja"], s["fr_es"]) < 0:
        return Verdict.NOT_TESTABLE  # a language of the pairs is not in LANGUAGES
    overlap = min(s["zh_ja"], s["fr_es"]) >= 2 * s["shared_offdiag_median"]
    # the interval over held-out sentences of (smallest related change - the larger baseline)
    interfere = s["related_minus_baseline_ci"].above(0)
    return grade(overlap and interfere, overlap or interfere)


def _steering_by(s: Summary, slug: str) -> Verdict:
    fair_judge = s["steer_unchanged_fluent"] >= 0.75  # the fluency rule passes unsteered text
    return grade(
        s[ci_key(held_out_key("success", slug))].low >= 0.5 and fair_judge,
        s[ci_key(held_out_key("target", slug))].low >= 0.5,
    )


def _steering(s: Summary) -> Verdict:
    return _steering_by(s, "swap")


def _steering_activate_only(s: Summary) -> Verdict:
    return _steering_by(s, "lape")


# --------------------------------------------------------------------------- the rules' cases
# each rule's cases start from a summary that should reproduce its claim and change one or two
# numbers to cross a threshold of its rule


def _with(base: Summary, **changes) -> dict:
    return {**base, **changes}


U_SHAPE = {"first_share": 30.0, "middle_share": 10.0, "last_share": 40.0, "edge_share": 70.0,
           "edge_share_uniform": 33.3, "end_share_uniform": 16.7,
           "end_share_uniform_q975": 20.5, "n_selected": 369}  # fmt: skip
DIAGONAL = {"diag_mean": 300.0, "offdiag_mean": 20.0, "random_mean": 5.0, "diag_is_row_max": 8,
            "n_languages": 8, "diag_beyond_twice_ci": Interval(200.0, 320.0),
            "diag_minus_offdiag_ci": Interval(220.0, 340.0)}  # fmt: skip
RELATED = {"zh_ja": 60, "fr_es": 30, "shared_offdiag_median": 5.0,
           "related_ppl_change_min": 40.0, "offdiag_median": 4.0, "random_mean": 10.0,
           "related_ppl_change_min_ci": Interval(30.0, 50.0),
           "related_minus_baseline_ci": Interval(20.0, 40.0)}  # fmt: skip
# every method's held-out shares: in the target language 0.8, fluent 0.7, both 0.6, each
# with an interval of +-0.05
HELD_OUT_SHARES = {"target": 0.8, "success": 0.6, "fluent": 0.7}
STEERING = {
    **{held_out_key(measure, slug): value
       for slug in ("lape", "swap", "diffmean") for measure, value in HELD_OUT_SHARES.items()},
    **{ci_key(held_out_key(measure, slug)): Interval(value - 0.05, value + 0.05)
       for slug in ("lape", "swap", "diffmean") for measure, value in HELD_OUT_SHARES.items()},
    "steer_half_scales_swap": "×4 and ×4", "steer_winner": "neither",
    "steer_unchanged_fluent": 0.9,
}  # fmt: skip


def _held_out_lows(base: Summary, slug: str, **lows: float) -> dict:
    """``base`` with the intervals of method ``slug``'s held-out shares (``success=0.45``)
    starting at other lower ends."""
    keys = {measure: ci_key(held_out_key(measure, slug)) for measure in lows}
    return _with(base, **{keys[m]: Interval(low, base[keys[m]].high) for m, low in lows.items()})


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
        cases=(
            Case(U_SHAPE, R, "both ends above what uniform placement gives by chance"),
            Case(
                _with(U_SHAPE, first_share=17.1),
                P,
                "the first three layers at about their uniform share: within what chance "
                "placement gives",
            ),
            Case(_with(U_SHAPE, first_share=17.1, last_share=20.0), N, "neither end above it"),
        ),
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
        cases=(
            Case(DIAGONAL, R, "beyond twice both baselines by its interval, every row's largest"),
            Case(_with(DIAGONAL, diag_is_row_max=7), P, "one row's largest change is elsewhere"),
            Case(
                _with(DIAGONAL, diag_beyond_twice_ci=Interval(-5.0, 320.0)),
                P,
                "beyond twice by its point estimate, not by its interval",
            ),
            Case(
                _with(
                    DIAGONAL,
                    diag_minus_offdiag_ci=Interval(-1.0, 340.0),
                    diag_beyond_twice_ci=Interval(-5.0, 320.0),
                ),
                N,
                "not above the off-diagonal by its interval",
            ),
        ),
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
        "{related_ppl_change_min:+.0f} % [{related_ppl_change_min_ci.low:+.0f}, "
        "{related_ppl_change_min_ci.high:+.0f}]",
        baseline="median pair {shared_offdiag_median:.0f} neurons; median off-diagonal change "
        "{offdiag_median:+.0f} %",
        rule=_related,
        cases=(
            Case(RELATED, R, "both pairs share neurons and interfere beyond both baselines"),
            Case(
                _with(RELATED, related_minus_baseline_ci=Interval(-2.0, 40.0)),
                P,
                "the point estimate beats both baselines, its interval does not exclude them",
            ),
            Case(
                _with(RELATED, fr_es=6, related_minus_baseline_ci=Interval(-2.0, 40.0)),
                N,
                "fr–es shares fewer than twice the median pair's neurons, no interference",
            ),
            Case(_with(RELATED, zh_ja=-1), T, "zh or ja not in LANGUAGES"),
        ),
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
        "{steer_success_swap:.2f} also fluent ({steer_success_swap_ci.low:.2f}–"
        "{steer_success_swap_ci.high:.2f}); target on only {steer_success_lape:.2f}; DiffMean "
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
        cases=(
            Case(STEERING, R, "fluent in the target language, by its interval, with a fair judge"),
            Case(
                _held_out_lows(STEERING, "swap", success=0.45),
                P,
                "0.5 inside the interval of fluent continuations in the target language",
            ),
            Case(_with(STEERING, steer_unchanged_fluent=0.5), P, "an unfair judge"),
            Case(
                _held_out_lows(STEERING, "swap", success=0.1, target=0.45),
                N,
                "not even the target language by its interval",
            ),
            Case(
                _held_out_lows(STEERING, "lape", success=0.1, target=0.1),
                R,
                "activating only does not decide: the paper's variant does",
            ),
        ),
        quotes=(
            "steer_winner",
            "steer_success_swap",
            "steer_success_lape",
            "steer_success_diffmean",
        ),
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

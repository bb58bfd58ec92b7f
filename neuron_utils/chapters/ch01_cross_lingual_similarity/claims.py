"""Chapter 1's claims: what the seeds found that this chapter measures, the rule that judges
each on the chapter's summary (:mod:`neuron_utils.kit.claims`), and each rule's test cases."""

from __future__ import annotations

from ...kit.claims import TANG, TEZUKA, Case, Claim, Summary, Verdict, grade
from ...kit.summary import Interval
from .keys import cv_key, gap_key

R, P, N = Verdict.REPRODUCES, Verdict.PARTLY, Verdict.DOES_NOT


def _fig2(s: Summary) -> Verdict:
    # each (L2, layer) point by its interval over L1 sentences, not its point estimate
    return grade(
        s["share_points_centred_above_zero"] == 100 and s["raw_gap_low_min"] > 0,
        s["share_points_centred_above_zero"] >= 50,
    )


def _fig7(s: Summary) -> Verdict:
    # the paper's claim is about meaning: its non-parallel pairs should differ in meaning only,
    # i.e. come from the same corpus (the disjoint design); the English side alone must not do it
    return grade(
        s[cv_key("concat", "disjoint", "min")] >= 0.9
        and s[cv_key("l1_only", "disjoint", "mean")] <= s["cv_chance"] + 0.05,
        s[cv_key("interaction", "disjoint", "max")] >= 0.9,
    )


def _fig8(s: Summary) -> Verdict:
    edges = s["mlp_minus_attn_edges_ci"]
    residual_gap = s[gap_key("centred", "derangement", "mean")]
    return grade(
        edges.above(0.1 * residual_gap) and s["edges_minus_all_ci"].above(0), edges.above(0)
    )


def _middle_peak(s: Summary) -> Verdict:
    best, layers = s["retrieval_best_layer"], range(6, 12)  # the middle third of 18 layers
    falls = (
        s["retrieval_first"] < s["retrieval_best"]
        and s["retrieval_last"] <= s["retrieval_best"] - 0.05
    )
    return grade(best in layers and falls, s["centred_gap_peak_layer"] in layers or falls)


# --------------------------------------------------------------------------- the rules' cases
# Each claim's cases start from a summary that should reproduce it (every key its numbers name)
# and change one or two numbers to cross a threshold of its rule.

FIG2 = {
    "share_layers_positive": 100.0, "share_points_centred_above_zero": 100.0,
    "share_points_raw_above_zero": 100.0, "centred_gap_min": 0.2, "centred_gap_max": 0.8,
    "raw_gap_min": 0.001, "raw_gap_low_min": 0.0004, "raw_gap_max": 0.04,
    "raw_nonparallel_mean": 0.96,
}  # fmt: skip
FIG7 = {
    "cv_concat_disjoint_min": 0.92, "cv_concat_disjoint_max": 0.97, "cv_chance": 0.5,
    "cv_l1_only_disjoint_mean": 0.52, "cv_interaction_disjoint_max": 0.99,
    "cv_concat_cross_corpus_min": 0.99, "cv_concat_cross_corpus_max": 1.0,
    "cv_concat_ungrouped_derangement_min": 0.07, "cv_concat_ungrouped_derangement_max": 0.12,
    "cv_l1_only_cross_corpus_mean": 0.99, "cv_length_cross_corpus_min": 0.84,
    "cv_length_cross_corpus_max": 0.9,
}  # fmt: skip
FIG8 = {
    "mlp_minus_attn_edges": 0.06, "mlp_minus_attn_edges_ci": Interval(0.055, 0.065),
    "edges_minus_all_ci": Interval(0.02, 0.05), "mlp_minus_attn_all": 0.02,
    "centred_gap_derangement_mean": 0.5,
}  # fmt: skip
MIDDLE = {"retrieval_best_layer": 9, "retrieval_best": 0.9, "retrieval_first": 0.05,
          "retrieval_last": 0.6, "centred_gap_peak_layer": 10, "retrieval_chance": 0.005}  # fmt: skip


def _with(base: Summary, **changes) -> Summary:
    return {**base, **changes}


CLAIMS: tuple[Claim, ...] = (
    Claim(
        id="ti-fig2",
        seed=TEZUKA,
        where="§2.2, Fig. 2",
        statement="Parallel L1/L2 pairs have a higher last-token cosine similarity than non-parallel "
        "pairs, for every L2 and at every layer.",
        section="Parallel vs non-parallel similarity, raw and centred",
        measured="centred gap above 0 (95 % interval) at {share_points_centred_above_zero:.0f} % of "
        "(L2, layer) points ({centred_gap_min:.2f} to {centred_gap_max:.2f}); raw gap "
        "{raw_gap_min:.4f} to {raw_gap_max:.3f}, above 0 at {share_points_raw_above_zero:.0f} %",
        baseline="non-parallel raw cosine {raw_nonparallel_mean:.2f} (anisotropy)",
        rule=_fig2,
        rule_text="intervals over L1 sentences; reproduces: the centred gap's interval lies above 0 at "
        "every (L2, layer) point and the raw gap's too; partly: the centred gap's at half of "
        "them or more",
        reason="A gap this clear needs mean-centring here: raw cosines are about 0.96 for any pair of "
        "sentences (the anisotropy the paper's footnote 1 names).",
        cases=(
            Case(FIG2, R, "every point's interval above 0, centred and raw"),
            Case(
                _with(FIG2, raw_gap_min=0.0007, raw_gap_low_min=-0.0002),
                P,
                "a raw gap of +0.0007 whose interval reaches below 0 does not count as positive",
            ),
            Case(
                _with(FIG2, share_points_centred_above_zero=96.0),
                P,
                "every point estimate positive, but not every interval",
            ),
            Case(_with(FIG2, share_points_centred_above_zero=40.0), N, "under half the points"),
        ),
    ),
    Claim(
        id="ti-fig7",
        seed=TEZUKA,
        where="§2.2, App. B.1, Fig. 7",
        statement="A logistic regression on [h_L1; h_L2] tells parallel from non-parallel pairs with "
        "over 90 % accuracy at every layer.",
        section="Can a classifier tell parallel from non-parallel pairs?",
        measured="concat probe, same-corpus pairs, folds grouped by sentence: {cv_concat_disjoint_min:.2f} "
        "to {cv_concat_disjoint_max:.2f}; interaction features: up to "
        "{cv_interaction_disjoint_max:.2f}; released code's cross-corpus pairs: "
        "{cv_concat_cross_corpus_min:.2f} to {cv_concat_cross_corpus_max:.2f}",
        baseline="chance {cv_chance:.2f}; ungrouped folds (sentences shared, an artefact): "
        "{cv_concat_ungrouped_derangement_min:.2f} to {cv_concat_ungrouped_derangement_max:.2f} "
        "(derangement); cross-corpus pairs, English sentence alone "
        "{cv_l1_only_cross_corpus_mean:.2f}, English token count alone "
        "{cv_length_cross_corpus_min:.2f} to {cv_length_cross_corpus_max:.2f}",
        rule=_fig7,
        rule_text="reproduces: with folds that share no sentence, the concat probe reaches 0.9 at every "
        "layer on non-parallel pairs from the same corpus, and the English side alone stays "
        "within 0.05 of chance; partly: a probe that can compare the two sentences (interaction "
        "features) reaches 0.9 somewhere",
        reason="The authors' released code drew the non-parallel English sentences from another "
        "corpus: there the > 90 % reproduces, but the English sentence alone, and its token "
        "count, do as well. A linear probe on [h_L1; h_L2] cannot compare two sentences.",
        cases=(
            Case(FIG7, R, "concat at 0.92 or more everywhere, the English side at chance"),
            Case(
                _with(FIG7, cv_l1_only_disjoint_mean=0.56),
                P,
                "the English side alone does it: 0.06 above chance",
            ),
            Case(
                _with(FIG7, cv_concat_disjoint_min=0.45),
                P,
                "concat below 0.9 somewhere; the interaction probe reaches it",
            ),
            Case(
                _with(FIG7, cv_concat_disjoint_min=0.45, cv_interaction_disjoint_max=0.89),
                N,
                "neither probe reaches 0.9",
            ),
        ),
        quotes=(
            cv_key("concat", "cross-corpus", "mean"),
            cv_key("l1_only", "cross-corpus", "mean"),
        ),
    ),
    Claim(
        id="ti-fig8",
        seed=TEZUKA,
        where="§3.4, App. B.2, Fig. 8",
        statement="In the first and last layers the state after the MLP separates parallel from "
        "non-parallel pairs better than the state after attention.",
        section="After the attention and after the MLP sublayer",
        measured="MLP minus attention, centred gap: {mlp_minus_attn_edges:.3f} in the edge layers "
        "({mlp_minus_attn_edges_ci.low:.3f} to {mlp_minus_attn_edges_ci.high:.3f}), "
        "{mlp_minus_attn_all:.3f} over all layers",
        baseline="centred gap of the residual stream {centred_gap_derangement_mean:.2f}",
        rule=_fig8,
        rule_text="intervals over L1 sentences; reproduces: in the first and last three layers the "
        "MLP's gap exceeds attention's by more than a tenth of the residual gap, and by more "
        "than over all layers; partly: it exceeds it at all",
        reason="Gemma 3's sublayer outputs are read after its post-sublayer norms, which LLaMA-3 lacks.",
        cases=(
            Case(FIG8, R, "above a tenth of the residual gap, and more at the edges than overall"),
            Case(
                _with(FIG8, mlp_minus_attn_edges_ci=Interval(0.04, 0.065)),
                P,
                "above 0, but its interval reaches below a tenth of the residual gap (0.05)",
            ),
            Case(
                _with(FIG8, edges_minus_all_ci=Interval(-0.01, 0.05)),
                P,
                "not concentrated at the edges: edges minus all reaches below 0",
            ),
            Case(
                _with(
                    FIG8,
                    mlp_minus_attn_edges=0.021,
                    mlp_minus_attn_edges_ci=Interval(-0.004, 0.046),
                ),
                N,
                "a point estimate of 0.021 whose interval reaches below 0: no direction either",
            ),
        ),
    ),
    Claim(
        id="tang-middle-similarity",
        seed=TANG,
        where="slides: why a U shape",
        statement="Sentences with the same content are most alike across languages in the middle layers.",
        section="Translation retrieval",
        measured="retrieval best at layer {retrieval_best_layer} ({retrieval_best:.2f}); first layer "
        "{retrieval_first:.2f}, last {retrieval_last:.2f}; centred gap peaks at layer "
        "{centred_gap_peak_layer}",
        baseline="chance {retrieval_chance:.3f}",
        rule=_middle_peak,
        rule_text="reproduces: retrieval peaks in the middle third and falls by 0.05 or more by the last "
        "layer; partly: the centred gap peaks in the middle third, or retrieval falls after "
        "its peak",
        reason="Retrieval and centred cosine stand in for the slides' sentence-embedding similarity.",
        cases=(
            Case(MIDDLE, R, "retrieval peaks at layer 9 of 18 and falls by 0.3 after"),
            Case(
                _with(MIDDLE, retrieval_best_layer=15),
                P,
                "retrieval peaks late, but falls after its peak",
            ),
            Case(
                _with(
                    MIDDLE, retrieval_best_layer=17, retrieval_last=0.9, centred_gap_peak_layer=16
                ),
                N,
                "retrieval and the centred gap peak at the end",
            ),
        ),
    ),
)

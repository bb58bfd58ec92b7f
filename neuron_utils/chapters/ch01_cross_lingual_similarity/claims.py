"""Chapter 1's claims: what the seeds found that this chapter measures, and the rule
that judges each on the chapter's summary (:mod:`neuron_utils.kit.claims`)."""

from __future__ import annotations

from ...kit.claims import TANG, TEZUKA, Claim, Summary, Verdict, grade


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
        s["cv_concat_disjoint_min"] >= 0.9
        and s["cv_l1_only_disjoint_mean"] <= s["cv_chance"] + 0.05,
        s["cv_interaction_disjoint_max"] >= 0.9,
    )


def _fig8(s: Summary) -> Verdict:
    low = s["mlp_minus_attn_edges_low"]
    return grade(
        low > 0.1 * s["centred_gap_derangement_mean"] and s["edges_minus_all_low"] > 0, low > 0
    )


def _middle_peak(s: Summary) -> Verdict:
    best, layers = s["retrieval_best_layer"], range(6, 12)  # the middle third of 18 layers
    falls = (
        s["retrieval_first"] < s["retrieval_best"]
        and s["retrieval_last"] <= s["retrieval_best"] - 0.05
    )
    return grade(best in layers and falls, s["centred_gap_peak_layer"] in layers or falls)


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
    ),
    Claim(
        id="ti-fig8",
        seed=TEZUKA,
        where="§3.4, App. B.2, Fig. 8",
        statement="In the first and last layers the state after the MLP separates parallel from "
        "non-parallel pairs better than the state after attention.",
        section="After the attention and after the MLP sublayer",
        measured="MLP minus attention, centred gap: {mlp_minus_attn_edges:.3f} in the edge layers "
        "({mlp_minus_attn_edges_low:.3f} to {mlp_minus_attn_edges_high:.3f}), "
        "{mlp_minus_attn_all:.3f} over all layers",
        baseline="centred gap of the residual stream {centred_gap_derangement_mean:.2f}",
        rule=_fig8,
        rule_text="intervals over L1 sentences; reproduces: in the first and last three layers the "
        "MLP's gap exceeds attention's by more than a tenth of the residual gap, and by more "
        "than over all layers; partly: it exceeds it at all",
        reason="Gemma 3's sublayer outputs are read after its post-sublayer norms, which LLaMA-3 lacks.",
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
    ),
)

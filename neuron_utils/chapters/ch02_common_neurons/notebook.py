# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # L1/L2 common neurons by average precision
#
# **Question.** Are there MLP neurons that fire strongly for a sentence *and* its translation,
# but not for two unrelated sentences, and does the cross-lingual similarity of chapter 1
# depend on them?
#
# **What the paper found.** Tezuka & Inoue {cite:p}`tezuka2025agnostic` (§3.3-3.4, Fig. 3-5,
# appendix B.3) score each neuron $(l, i)$ on an L1/L2 sentence pair by
#
# $$ s_{li}(S_{L1}, S_{L2}) = \tfrac{1}{2}\big(|a_{li}(S_{L1})| + |a_{li}(S_{L2})|\big) $$
#
# at the last token, and rank neurons by the average precision (area under the
# precision-recall curve) with which this score alone separates parallel pairs (label 1) from
# non-parallel pairs (label 0), after Suau et al. {cite:p}`suau2022self`. The top neurons had
# very high AP (Fig. 5), sat mostly in the first and last layers (Fig. 4), and zeroing the top
# 15,000 (3.3 % of LLaMA-3-8B's neurons) made the similarity of parallel pairs drop a lot while
# that of non-parallel pairs barely moved: the gap closed, unlike with 15,000 random neurons
# (Fig. 3, 9). A product score $a(S_{L1})\,a(S_{L2})$ gave similar results (footnote 3).

# %% tags=["parameters"]
PROFILE = "quick"  # quick: bundled corpus; paper: Tatoeba, 2,000 pairs per class
MODEL = "gemma-3-270m"
DTYPE = "auto"
DEVICE = "auto"  # auto: a CUDA GPU where there is one, else cpu; cuda, cuda:N, map (several GPUs)
DATA_SOURCE = "bundled"  # bundled | tatoeba | flores | own .tsv/.csv/.jsonl/.parquet | hf:<id>
DATA_COLUMNS = {}  # own table: language code -> column, where the column has another name
L1 = "en"
L2_LANGUAGES = ["ja", "nl", "ko", "it"]
N_PAIRS = 100  # parallel (and non-parallel) pairs, derangement design
N_PAIRS_DISJOINT = (
    None  # pairs per class, disjoint design; None: N_PAIRS or the most the data allows
)
N_PAIRS_CROSS_CORPUS = (
    None  # pairs per class, cross-corpus design (the authors code); None: as above
)
OTHER_CORPUS = "formal"  # formal | generated | flores: where cross-corpus L1 sentences come from
# neurons: act(gate(x)) * up(x) (the paper's definition); gate: act(gate(x))
NEURON_SITE = "neurons"
TOP_NEURON_FRACTION = 0.033  # the paper's 15,000 of ~450k neurons
N_RANDOM_SEEDS = 1  # random matched sets for the baseline (the paper profile: 3)
N_PERMUTATIONS = 20  # permutations of the selection null per L2 and design (paper: 100)
SEED = 0
BATCH_SIZE = 32

# %%
import neuron_utils as nu
from neuron_utils import kit
from neuron_utils.chapters import ch02_common_neurons as chapter

# checked here: a bad value fails before the model loads
params = kit.start_chapter(chapter, globals())

# %% [markdown]
# ## Set-up
#
# Neuron activations are read at the site `NEURON_SITE` (default: the input of the down
# projection, $a(xW_G) \odot xW_U$, the paper's definition; see the introduction) at the last
# token of every sentence. Pairs are built as in chapter 1; the **derangement** design (the
# same sentences in both classes) is the main one; the **disjoint** design (the paper's
# description) and the **cross-corpus** design (the authors' released code: the L1 sentences of
# the non-parallel pairs come from another corpus, `OTHER_CORPUS`) show how the ranking depends
# on the design.

# %%
model = nu.load_model(MODEL, dtype=DTYPE, device=DEVICE)
results = chapter.analyse(model, params)

# %% tags=["hide-output"]
kit.show_provenance(model, params)

# %% tags=["remove-cell"]
summary = chapter.summarise(results)
kit.glue_summary(chapter, summary)
kit.record_results(chapter, params, model.describe(), summary)

# %% [markdown]
# ## How well does a single neuron separate parallel from non-parallel pairs?
#
# AP of the top {glue:text}`n_top` of {glue:text}`n_all` neurons by rank (the paper's Fig. 5),
# for the mean-of-absolute-values score. Solid: derangement design; dashed: disjoint design;
# dotted: cross-corpus design. A single random scorer has AP 0.5 (half of the pairs are
# parallel), but the best of {glue:text}`n_all:,` random scorers do much better: the top of a
# ranking is a maximum of noisy estimates. The grey bands are the same ranks when nothing links
# a neuron to the labels ({glue:text}`n_permutations` permutations per L2 and design, 5th to
# 95th percentile): in the disjoint and cross-corpus designs the labels are permuted across
# pairs; in the derangement design the parallel pairs are re-paired at random (each sentence
# stays once in each class, on both sides), because there only the pairing may differ between
# the classes.

# %%
chapter.plot_ap_by_rank(results)

# %% [markdown]
# The mean AP of the top 100 beside the same statistic under the permutations (their mean and
# 95th percentile, and the permutation p-value, whose floor is 1 / (permutations + 1)), and how
# many neurons are beyond noise: their AP beats the permutation maximum over all neurons in 95 %
# of permutations (family-wise: the chance that any of the neurons so counted is noise is 5 %).
# A false-discovery count (Benjamini-Hochberg) would need thousands of permutations per
# neuron; see `methods.selection.TopNull.beyond_false_discovery`.

# %%
chapter.null_table(summary)

# %% [markdown]
# The mean AP of the top 100 neurons is {glue:text}`ap_top100_min:.3f`–{glue:text}`ap_top100_max:.3f`
# across L2s in the derangement design, against {glue:text}`null_top100_derangement_mean:.3f`
# for the same statistic when the pairing carries nothing (95th percentile up to
# {glue:text}`null_top100_derangement_q95_max:.3f`; beyond it for {glue:text}`beyond_null_derangement`),
# and {glue:text}`ap_top100_dis_min:.3f`–{glue:text}`ap_top100_dis_max:.3f` in the disjoint
# design against {glue:text}`null_top100_disjoint_mean:.3f` (up to
# {glue:text}`null_top100_disjoint_q95_max:.3f`; beyond it for {glue:text}`beyond_null_disjoint`).
# Neurons beyond noise (family-wise):
# {glue:text}`beyond_noise_derangement_min`–{glue:text}`beyond_noise_derangement_max`
# per L2 in the derangement design, {glue:text}`beyond_noise_disjoint_min`–{glue:text}`beyond_noise_disjoint_max`
# in the disjoint one. The median neuron has AP {glue:text}`ap_median:.3f`. In the
# derangement design both classes contain exactly the same sentences, so a neuron can only
# reach a high AP if its score depends on *which two sentences are paired*; in the disjoint
# design a neuron that simply fires more for the sentences that happen to be in the parallel
# pool scores well too. In the cross-corpus design the top 100 reach
# {glue:text}`ap_top100_cross_corpus_min:.3f`–{glue:text}`ap_top100_cross_corpus_max:.3f`: there
# the L2 side is the same in both classes and the L1 side of the non-parallel class is another
# corpus, so a neuron that responds to that corpus (its register, its length) separates the
# classes without any pairing. The L1 sentence's token count used as a score, in its better
# direction, has AP {glue:text}`length_ap_cross_corpus_min:.3f`–{glue:text}`length_ap_cross_corpus_max:.3f`
# there (parallel = {glue:text}`length_direction_cross_corpus`), against
# {glue:text}`length_ap_derangement_min:.3f`–{glue:text}`length_ap_derangement_max:.3f` in the
# derangement design.
#
# ## Where are the top neurons?
#
# Number of top-{glue:text}`n_top` neurons per layer, one panel per design (the paper's Fig. 4),
# and per design the top-100 AP, the token count's AP, the share of the top set in the first
# and last three layers and the busiest layer (summed over L2s).

# %%
chapter.plot_top_per_layer(results)

# %%
chapter.design_table(summary)

# %% [markdown]
# In the derangement design the first three and last three layers hold
# {glue:text}`edge_share:.0f` % of the top neurons (a uniform spread would put
# {glue:text}`edge_share_uniform:.0f` % there); the layer with most top neurons, summed over
# L2s, is layer {glue:text}`peak_layer` (layers are numbered from 0). In the cross-corpus design
# the edge layers hold {glue:text}`edge_share_cross_corpus:.0f` % and the busiest layer is
# {glue:text}`peak_layer_cross_corpus`.
#
# ## Do the L2s share their common neurons? Does the design or the score matter?
#
# Jaccard overlap $|A \cap B| / |A \cup B|$ of the top-{glue:text}`n_top` sets: between L2s
# (derangement design, mean-of-abs score), and per L2 between the two designs and between the
# two scores. Two random sets of this size overlap by about
# {glue:text}`random_overlap:.3f`.

# %%
chapter.plot_l2_overlap(results)
chapter.design_score_table(summary)

# %% [markdown]
# {glue:text}`l2_overlap_text`. Between the derangement and disjoint designs the overlap is
# {glue:text}`design_overlap_mean:.2f`, between derangement and cross-corpus
# {glue:text}`overlap_derangement_cross_corpus_mean:.2f` and between disjoint and cross-corpus
# {glue:text}`overlap_disjoint_cross_corpus_mean:.2f`. Between the two scores it is
# {glue:text}`score_overlap_mean:.2f`.

# %% [markdown] tags=["default-run"]
# So many "common" neurons are not tied to one L2, and the ranking depends strongly on how the
# non-parallel pairs are built.

# %% [markdown]
# ## Do the cross-corpus top neurons track sentence length?
#
# For every neuron, the Pearson correlation of its $|a|$ with the token count over the L1
# sentences of the cross-corpus pairs (both classes), and the distribution of $|r|$ for all
# neurons and for the top 100 of each design (pooled over L2s).

# %%
chapter.plot_length_correlation(summary)

# %% [markdown]
# The median $|r|$ is {glue:text}`length_r_all_median:.2f` over all neurons,
# {glue:text}`length_r_top_derangement_median:.2f` over the derangement top 100 and
# {glue:text}`length_r_top_cross_median:.2f` over the cross-corpus top 100;
# {glue:text}`length_r_top_cross_above_half_pct:.0f` % of the cross-corpus top 100 have
# $|r| > 0.5$ (all neurons: {glue:text}`length_r_all_above_half_pct:.0f` %).
#
# ### At paper-lite size: Tatoeba beside FLORES-200
#
# The same on the authors' data, kept from a run of `--profile paper-lite`
# ({glue:text}`paper_lite_N_PAIRS_CROSS_CORPUS` Tatoeba pairs per class in every design; the
# cross-corpus English sentences from FLORES-200 devtest; commit
# {glue:text}`paper_lite_commit`; `book/paper_results/02_paper-lite.json`).
# {glue:text}`paper_lite_note`

# %% tags=["remove-cell"]
paper_lite = kit.glue_paper_results(chapter, "paper-lite")

# %%
chapter.design_table(paper_lite["summary"])

# %% [markdown]
# On Tatoeba the top 100 reach
# {glue:text}`paper_lite_ap_top100_derangement_min:.3f`–{glue:text}`paper_lite_ap_top100_derangement_max:.3f`
# in the derangement design,
# {glue:text}`paper_lite_ap_top100_disjoint_min:.3f`–{glue:text}`paper_lite_ap_top100_disjoint_max:.3f`
# in the disjoint one and
# {glue:text}`paper_lite_ap_top100_cross_corpus_min:.3f`–{glue:text}`paper_lite_ap_top100_cross_corpus_max:.3f`
# with FLORES English as the other corpus, where the English token count alone has an AP of
# {glue:text}`paper_lite_length_ap_cross_corpus_min:.3f`–{glue:text}`paper_lite_length_ap_cross_corpus_max:.3f`.
# The edge layers hold {glue:text}`paper_lite_edge_share_derangement:.0f` %,
# {glue:text}`paper_lite_edge_share_disjoint:.0f` % and
# {glue:text}`paper_lite_edge_share_cross_corpus:.0f` % of the top sets; the cross-corpus top 100
# have a median $|r|$ with the token count of {glue:text}`paper_lite_length_r_top_cross_median:.2f`
# (all neurons {glue:text}`paper_lite_length_r_all_median:.2f`).
#
# Against the selection null ({glue:text}`paper_lite_n_permutations` permutations per L2 and
# design), the top-100 AP on Tatoeba:

# %%
chapter.null_table(paper_lite["summary"])

# %% [markdown]
# With {glue:text}`paper_lite_N_PAIRS` pairs per class the null of the top-100 mean falls to
# {glue:text}`paper_lite_null_top100_derangement_mean:.3f` (derangement) and
# {glue:text}`paper_lite_null_top100_disjoint_mean:.3f` (disjoint); the neurons beyond noise
# (family-wise) number
# {glue:text}`paper_lite_beyond_noise_derangement_min`–{glue:text}`paper_lite_beyond_noise_derangement_max`
# per L2 in the derangement design and
# {glue:text}`paper_lite_beyond_noise_disjoint_min`–{glue:text}`paper_lite_beyond_noise_disjoint_max`
# in the disjoint one. On held-out pairs, zeroing the set chosen on the other half moves the
# centred gap from {glue:text}`paper_lite_half_gap_centred_none:.3f` to
# {glue:text}`paper_lite_half_gap_centred_held_out:.3f` (random sets
# {glue:text}`paper_lite_half_gap_centred_random:.3f`, |a|-matched random sets
# {glue:text}`paper_lite_half_gap_centred_magnitude:.3f`).
#
# ## Zeroing the top neurons: does the parallel/non-parallel gap close?
#
# Chapter 1's per-layer cosine of the last-token residual stream, parallel vs non-parallel
# pairs (derangement design), with nothing zeroed, with the top-{glue:text}`n_top` neurons
# zeroed at every position, and with random sets of the same size *per layer* drawn outside
# the top set (random sets per L2: {glue:text}`n_random_seeds`; with more than one, the line
# is their mean and the band their range). The top set is chosen by summed |a|, so it is made
# of active neurons, and a random set mostly of quiet ones; the second random baseline
# (dash-dotted) matches each layer's count *within each decile of mean |a|* over the same
# sentences ({glue:text}`magnitude_fallback_pct:.1f` % of its neurons had to come from a
# neighbouring decile).

# %%
chapter.plot_zeroing(results)

# %% [markdown]
# The gap (mean parallel minus mean non-parallel cosine) per layer in the three conditions,
# centred cosine; "rand." = random sets (their mean where there are several).

# %%
chapter.gap_table(results)

# %% [markdown]
# Averaged over L2s and layers, zeroing the top neurons changes the raw cosine of parallel
# pairs by {glue:text}`drop_raw_parallel_top:+.3f` and of non-parallel pairs by
# {glue:text}`drop_raw_nonparallel_top:+.3f` (random sets: {glue:text}`drop_raw_parallel_random:+.3f`
# and {glue:text}`drop_raw_nonparallel_random:+.3f`). The raw gap goes from
# {glue:text}`gap_raw_none:.3f` to {glue:text}`gap_raw_top:.3f` (random: {glue:text}`gap_raw_random:.3f`);
# the centred gap from {glue:text}`gap_centred_none:.3f` to {glue:text}`gap_centred_top:.3f`
# (random: {glue:text}`gap_centred_random:.3f`; matched by |a| decile:
# {glue:text}`gap_centred_magnitude:.3f`).
#
# ### Chosen on other pairs
#
# The top set above was chosen on the very pairs it is measured on. Here the derangement pairs
# are split into two halves that share no sentence (each half re-paired within itself); the top
# set is chosen on one half and zeroed while measuring the other, and the reverse, averaged.
# Beside it on the same held-out pairs: nothing zeroed, the set chosen on all pairs (which
# includes them), and both random baselines. Centred gap, mean over layers and the two halves:

# %%
chapter.held_out_table(summary)

# %% [markdown]
# On held-out pairs the centred gap goes from {glue:text}`half_gap_centred_none:.3f` to
# {glue:text}`half_gap_centred_held_out:.3f` with the set chosen on the other half, against
# {glue:text}`half_gap_centred_top:.3f` with the set chosen on all pairs,
# {glue:text}`half_gap_centred_random:.3f` with random sets and
# {glue:text}`half_gap_centred_magnitude:.3f` with |a|-matched random sets. The sets chosen on
# the two halves overlap by {glue:text}`half_overlap_mean:.2f` (Jaccard, mean over L2s). How
# much more the held-out set closes the centred gap than the stricter baseline
# ({glue:text}`half_stricter_centred` sets), as a 95 % bootstrap interval over L1 sentences
# (each with its parallel and non-parallel pair, the conditions paired):
# {glue:text}`half_centred_beyond_random_ci.low:+.3f` to
# {glue:text}`half_centred_beyond_random_ci.high:+.3f`; in raw cosine
# {glue:text}`half_raw_beyond_random_ci.low:+.4f` to {glue:text}`half_raw_beyond_random_ci.high:+.4f`.
#
# ## The product score
#
# Footnote 3 of the paper: score $a(S_{L1})\,a(S_{L2})$, which rewards neurons whose sign agrees.
# Overlap with the mean-of-abs top set is in the table above; here is the effect of zeroing
# each top set on the centred gap.

# %%
chapter.score_table(summary)

# %% [markdown]
# ## What we found here, and how it compares with the paper

# %% tags=["remove-input"]
kit.what_we_found(params, chapter.measured_points(summary))

# %% [markdown] tags=["default-run"]
# The sentences below describe the default run (quick profile, bundled corpus,
# {glue:text}`n_pairs` pairs per class); the numbers in them are recomputed on every run.
#
# - **No single neuron separates the pairs well.** The top 100 neurons reach a mean AP of only
#   {glue:text}`ap_top100_min:.2f`–{glue:text}`ap_top100_max:.2f` in the controlled
#   (derangement) design, against 0.5 for chance and a median neuron at
#   {glue:text}`ap_median:.3f`; the disjoint design, where a neuron can also exploit the two
#   sentence pools, gives somewhat more ({glue:text}`ap_top100_dis_min:.2f`–{glue:text}`ap_top100_dis_max:.2f`).
#   The paper's top APs were close to 1 (Fig. 5). Its models were LLaMA-3-8B and GPT-2
#   fine-tuned on one L2, its pairs 2,000 per class from Tatoeba in the disjoint design. Part of
#   even these modest values is selection: when nothing links a neuron to the pairing, the top
#   100 of {glue:text}`n_all:,` neurons still average {glue:text}`null_top100_derangement_mean:.2f`
#   (derangement) and {glue:text}`null_top100_disjoint_mean:.2f` (disjoint). What is left beyond
#   that is small but real in the derangement design
#   ({glue:text}`beyond_noise_derangement_min`–{glue:text}`beyond_noise_derangement_max`
#   neurons per L2 beyond noise, family-wise) and barely there in the disjoint one
#   ({glue:text}`beyond_noise_disjoint_min`–{glue:text}`beyond_noise_disjoint_max`).
# - **Layer distribution.** The top neurons are *not* concentrated at both ends of the network
#   as in the paper's Fig. 4: the first and last three layers hold {glue:text}`edge_share:.0f` %
#   of them (uniform: {glue:text}`edge_share_uniform:.0f` %), and the busiest layer is
#   {glue:text}`peak_layer`. The first layer stands out for some L2s, the last layers do not.
# - **The authors' own design gives the paper's picture, for a reason that is not meaning.**
#   With the non-parallel English sentences taken from another corpus, as the released code
#   did, the top 100 reach an AP of
#   {glue:text}`ap_top100_cross_corpus_min:.2f`–{glue:text}`ap_top100_cross_corpus_max:.2f`
#   (Fig. 5's "very high" APs) and {glue:text}`edge_share_cross_corpus:.0f` % of the top set sits
#   in the first and last three layers (busiest layer {glue:text}`peak_layer_cross_corpus`),
#   closer to Fig. 4. But the English sentence's token count alone, with no neuron at all, has
#   an AP of {glue:text}`length_ap_cross_corpus_min:.2f`, the cross-corpus top neurons track it
#   (median $|r|$ {glue:text}`length_r_top_cross_median:.2f` against
#   {glue:text}`length_r_all_median:.2f` for all neurons), and their overlap with the
#   derangement design's top set is {glue:text}`overlap_derangement_cross_corpus_mean:.2f`.
#   Under that design a high AP says that a neuron responds to the other corpus (its length and
#   register), not that it is shared by a sentence and its translation.
# - **Zeroing.** In *centred* cosine the paper's signature appears: zeroing the top set lowers
#   the similarity of parallel pairs by {glue:text}`drop_centred_parallel_top:+.3f` on average
#   and that of non-parallel pairs by only {glue:text}`drop_centred_nonparallel_top:+.3f`,
#   while random sets of the same per-layer size move them by
#   {glue:text}`drop_centred_parallel_random:+.3f` and {glue:text}`drop_centred_nonparallel_random:+.3f`;
#   the centred gap shrinks from {glue:text}`gap_centred_none:.2f` to
#   {glue:text}`gap_centred_top:.2f` (random: {glue:text}`gap_centred_random:.2f`). It shrinks
#   most for {glue:text}`gap_shrink_most` and least for {glue:text}`gap_shrink_least` (means
#   over layers: the product-score table above). The effect survives the stricter controls: on
#   pairs that did not choose the set the gap goes from {glue:text}`half_gap_centred_none:.2f`
#   to {glue:text}`half_gap_centred_held_out:.2f` (random sets
#   {glue:text}`half_gap_centred_random:.2f`, |a|-matched random sets
#   {glue:text}`half_gap_centred_magnitude:.2f`), although the |a|-matched sets close part of
#   it too: some of the effect is that of zeroing active neurons. In *raw* cosine, as the paper measured, both
#   classes fall alike ({glue:text}`drop_raw_parallel_top:+.3f` vs
#   {glue:text}`drop_raw_nonparallel_top:+.3f`) and the raw gap does not close: here the raw
#   cosine is dominated by the shared offset that zeroing also perturbs. So these neurons carry
#   part of the pair-specific signal, even though no single one of them is a good detector.
# - **Scores.** The product score selects a different set (Jaccard overlap with the mean-of-abs
#   set: {glue:text}`score_overlap_mean:.2f`): it favours neurons whose sign agrees across the
#   pair, the mean-of-abs score neurons that are large in both. Zeroing the product set leaves
#   a centred gap of {glue:text}`gap_centred_product:.2f` on average, against
#   {glue:text}`gap_centred_top:.2f` for the mean-of-abs set (L2s where the product set closes
#   it more: {glue:text}`product_beats_top`; table above) and
#   {glue:text}`gap_centred_magnitude:.2f` for random sets matched to the mean-of-abs set by
#   |a| decile. The paper saw no large difference between the two scores.

# %% [markdown]
# ## Exercises
#
# :::{exercise}
# :label: ex02-gate
#
# Re-run with `-p NEURON_SITE '"gate"'`. How much do the top sets change (overlap), and is
# the gate site's AP higher or lower? Why might $|a(xW_G) \odot xW_U|$ be a better "pair"
# signal than the gate alone?
# :::
#
# :::{solution} ex02-gate
# :class: dropdown
#
# A parameter change; the top-100 AP range at each site:
#
# ```python
# for site in ["neurons", "gate"]:
#     other = chapter.summarise(chapter.analyse(model, params.replace(NEURON_SITE=site)))
#     print(f"{site:8s} top-100 AP {other['ap_top100_min']:.2f} to {other['ap_top100_max']:.2f}")
# ```
# :::
#
# :::{exercise}
# :label: ex02-fraction
#
# Vary `-p TOP_NEURON_FRACTION 0.01` and `0.1`. The paper noted that zeroing more neurons
# closes the gap further and *raises* the non-parallel similarity. Do you see that?
# :::
#
# :::{solution} ex02-fraction
# :class: dropdown
#
# A parameter change; how many neurons each fraction zeroes, and the summary's gap measure:
#
# ```python
# for fraction in [0.01, 0.1]:
#     other = chapter.summarise(chapter.analyse(model, params.replace(TOP_NEURON_FRACTION=fraction)))
#     print(fraction, other["n_top"], "neurons; centred gap x product", round(other["gap_centred_product"], 3))
# ```
# :::
#
# :::{exercise}
# :label: ex02-transfer
#
# Rank neurons with the disjoint design and zero them while measuring on the derangement
# pairs (use `neuron_utils.chapters.ch02_common_neurons` in a cell of your own: `results.top`
# holds every top set, `residual_with` zeroes one and
# `neuron_utils.methods.pair_similarity.analyse_pairs` measures the pairs on what it returns).
# Does a ranking that can exploit the sentence pools transfer?
# :::
#
# :::{exercise}
# :label: ex02-last
#
# Zero only the last position (`positions="last"` in `nu.Intervention`) instead of all
# positions. Which effect remains, and what does that say about where the top neurons act?
# :::
#
# :::{exercise}
# :label: ex02-mean
#
# Replace zeroing by setting each top neuron to its mean activation over all sentences
# (`op="set"` with a per-neuron value). Is mean-ablation gentler than zero-ablation here?
# :::
#
# :::{exercise}
# :label: ex02-lengths
#
# Match lengths: keep only the cross-corpus pairs whose English sentences fall in the same
# token-count range in both classes (`PairSet.l1_side` gives each class's sentences). How
# much of the cross-corpus top-100 AP survives?
# :::
#
# ## References
#
# Tezuka & Inoue {cite:p}`tezuka2025agnostic` and their released code {cite:p}`tezuka2025code`;
# Suau et al. {cite:p}`suau2022self`.
# Full entries: {doc}`/book/references`.

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
# # Grammar neurons: sparse probes on minimal pairs
#
# **Question.** Is the information that a sentence is grammatical spread over the whole hidden
# state, or concentrated in a few dimensions ("grammar neurons")?
#
# **What the paper found.** Sato et al. {cite:p}`sato2025locality` train probes that tell the
# good from the bad sentence of BLiMP minimal pairs {cite:p}`warstadt2020blimp` from the hidden
# state of an appended EOS token, per layer of Llama-3-8B (d = 4,096):
#
# - an **L0 mask probe** $\mathrm{Probe}(x) = \sigma((w \odot m)\,x)$, whose mask $m$ follows a
#   Hard-Concrete distribution {cite:p}`louizos2018learning` and is trained with
#   $\mathcal{L} = \lambda\,\mathrm{BCE} + (1-\lambda)\,R(m)$ ($R$: expected number of kept
#   dimensions), reaches about 95 % of the dense probe's accuracy with about 10 % of the
#   dimensions in layers 10-15 (their Fig. 2); later layers need more dimensions;
# - **top-k probes** on the $k$ dimensions with the largest Welch $|t|$ between good and bad
#   sentences reach about 85 % with $k = 40$ (1 %) and over 95 % of dense with 1,024 (Fig. 3);
# - the learned mask and $|t|$ are strongly rank-correlated (Fig. 4);
# - the top 1 % (40 dimensions) match probes on about **6×** as many random dimensions of their
#   complement in most layers (Fig. 5): grammatical information is localised;
# - a sparse probe ($\lambda$ = 0.2, 11.5 % of dimensions) trained on one paradigm often works
#   on others, as well as a dense one (Fig. 6).

# %% tags=["parameters"]
PROFILE = "quick"  # quick: generated minimal pairs (offline); paper: BLiMP + JBLiMP
MODEL = "gemma-3-270m"
DTYPE = "auto"
DEVICE = "auto"  # auto: a CUDA GPU where there is one, else cpu; cuda, cuda:N, map (several GPUs)
PAIR_SOURCES = ["generated"]  # any of: generated, blimp, jblimp
PAIR_COLUMNS = {}  # own table: good/bad/paradigm/language -> column, where named otherwise
PARADIGMS = None  # None: every paradigm of PAIR_SOURCES; or a list of names
N_PAIRS_PER_PARADIGM = 70
MIN_PAIRS = 20  # paradigms with fewer pairs are left out (JBLiMP's smallest phenomena)
TEST_FRACTION = 0.2  # share of each paradigm's pairs held out (split by pair)
LAMBDAS = [0.05, 0.1, 0.2, 0.5, 1.0]  # L0 sweep; 1.0 (no sparsity pressure) is the dense reference
L0_STEPS = 400
TOP_DIM_FRACTION = 0.01  # fraction of the hidden dimensions: the paper's top 1 % (40 of 4,096); here round(0.01 * d)
RANDOM_MULTIPLES = [
    1,
    2,
    3,
    4,
    5,
    6,
    7,
    8,
    10,
    12,
    14,
    16,
]  # random dimensions, as multiples of the top 1 %
N_RANDOM_SEEDS = 3  # draws of random dimensions: the multiple's interval is its range over them
GEN_LAYER = 9  # layer of the generalisation matrix (the paper: 16 of 32)
GEN_LAMBDA = 0.2  # lambda of the sparse probe there (the paper: 0.2)
SEED = 0
BATCH_SIZE = 64

# %%
import neuron_utils as nu
from neuron_utils import kit
from neuron_utils.chapters import ch04_grammar_probes as chapter

# checked here: a bad value fails before the model loads
params = kit.start_chapter(chapter, globals())

# %% [markdown]
# ## Set-up
#
# The `quick` profile uses minimal pairs generated from the book's own templates and lexicon
# (14 English and 5 Japanese paradigms, each pair differing in one word or morpheme; data card:
# `data/bundled/minimal_pairs.md`); the `paper` profile uses BLiMP and JBLiMP. Each sentence
# gets the tokenizer's EOS appended; its residual-stream state after every layer (before the
# final norm) is the probe's input. Pairs, not sentences, are split into train and test, so
# the twin of a test sentence is never seen in training. Features are standardised with the
# training rows of each paradigm and layer.

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
# {glue:text}`n_paradigms` paradigms, {glue:text}`n_pairs` pairs, hidden size
# {glue:text}`d_model`; paradigms left out for having fewer than `MIN_PAIRS` pairs:
# {glue:text}`left_out`. Per paradigm: the model's own accuracy (the share of pairs whose good
# sentence has the higher mean token log-probability: the seeds' metric, shared with chapter 6)
# and one pair: the good sentence with what the bad one changes in brackets (∅: nothing).

# %%
chapter.paradigm_table(summary)

# %% [markdown]
# ## L0 mask probes: how few dimensions are enough?
#
# One probe per paradigm, layer and $\lambda$, all trained together (full-batch Adam,
# `L0_STEPS` steps). $R(m)$ is the expected *fraction* of kept dimensions, so $\lambda$ means
# the same for any width. Left: the fraction of dimensions a probe keeps (test-time mask > 0);
# right: its test accuracy; both averaged over paradigms. The dashed black line is a dense
# logistic regression on all dimensions.

# %%
chapter.plot_l0(results)

# %% [markdown]
# The dense probe's accuracy (mean over paradigms) is {glue:text}`dense_first:.2f` at layer 0,
# peaks at {glue:text}`dense_best:.2f` (layer {glue:text}`dense_best_layer`) and ends at
# {glue:text}`dense_last:.2f`. At $\lambda$ = {glue:text}`gen_lambda` the L0 probes keep
# {glue:text}`kept_middle_pct:.1f` % of the dimensions in the middle layers
# ({glue:text}`middle_layers`) and reach {glue:text}`relative_middle_pct:.0f` % of the dense
# accuracy there ({glue:text}`kept_first_pct:.1f` % kept in the first third,
# {glue:text}`kept_last_pct:.1f` % in the last). The paper reports the $\lambda$ that gives its
# numbers, so the whole sweep counts: {glue:text}`sweep_text`.
#
# ## Top-k probes on the dimensions with the largest Welch |t|
#
# For each paradigm and layer the dimensions are ranked by Welch's $|t|$ between the good and
# bad training sentences; a logistic regression (standardised, C = 1) is fitted on the top $k$,
# for $k$ = 1, 2, 4, … up to all {glue:text}`d_model` (= the dense probe), and at the top
# {glue:text}`top_dim_pct:g` % (`TOP_DIM_FRACTION`),
# a tenth and a quarter of the width (the paper's points: 40 and 1,024 of 4,096).

# %%
chapter.plot_topk(results)

# %% [markdown]
# The top {glue:text}`n_top` dimensions ({glue:text}`top_dim_pct:g` %) give {glue:text}`top_acc_mean:.2f` accuracy on
# average over layers (95 % interval over paradigms {glue:text}`top_acc_mean_ci.low:.2f`–
# {glue:text}`top_acc_mean_ci.high:.2f`; {glue:text}`top_pct_of_dense:.0f` % of dense). A quarter of the
# width ({glue:text}`k_quarter` dimensions) gives {glue:text}`quarter_pct_of_dense:.1f` % of the
# dense accuracy (median over layers; {glue:text}`quarter_pct_of_dense_ci.low:.1f`–
# {glue:text}`quarter_pct_of_dense_ci.high:.1f` %), a tenth ({glue:text}`k_tenth`)
# {glue:text}`tenth_pct_of_dense:.1f` %. The smallest $k$ that
# reaches 95 % of the dense accuracy is {glue:text}`k95_range` depending on the layer (median
# {glue:text}`k95_middle` in the middle layers).
#
# ## Do the two selections agree?
#
# Spearman correlation between each L0 probe's test-time mask values and $|t|$ over the
# dimensions, averaged over paradigms, per layer and $\lambda$. Masks hold many exact zeros
# (and at $\lambda$ = 1 many exact ones): ties cap the attainable correlation below 1.

# %%
chapter.plot_spearman(results)

# %% [markdown]
# At $\lambda$ = {glue:text}`gen_lambda` {glue:text}`rho_text`. {glue:text}`rho_ceiling_text`.
#
# ## The top dimensions against random ones
#
# The top {glue:text}`n_top` dimensions by $|t|$ against probes on $m \times$
# {glue:text}`n_top` dimensions drawn at random from the other ones ($m$ in `RANDOM_MULTIPLES`,
# `N_RANDOM_SEEDS` draws each; accuracy averaged over paradigms and draws). Right: per layer,
# the multiple at which the random probes reach the top dimensions' accuracy, read off their accuracy
# curve drawn straight between the tested multiples (∞: none did). Reading the next *tested*
# multiple instead would round a crossing at 4.2 up to whatever the grid holds next.

# %%
chapter.plot_random(results)

# %% [markdown]
# The top {glue:text}`top_dim_pct:g` % match {glue:text}`multiple_median_text`× as many random dimensions (median over
# layers; {glue:text}`multiple_interval` over the {glue:text}`n_draws` draws of random dimensions
# taken one at a time; layers {glue:text}`multiple_range`; median in the middle layers
# {glue:text}`multiple_middle_text`×).
#
# ## Does a probe trained on one paradigm work on the others?
#
# Layer `GEN_LAYER`: the L0 probe with $\lambda$ = `GEN_LAMBDA` trained on the row's paradigm,
# evaluated on the test pairs of the column's paradigm (top; columns are numbered as the rows),
# and its accuracy minus that of the $\lambda$ = 1 probe (bottom; blue: the sparse probe is worse).

# %%
chapter.plot_generalisation(results)

# %% [markdown]
# At layer {glue:text}`gen_layer` the sparse probes keep {glue:text}`gen_kept_pct:.1f` % of
# the dimensions. Accuracy on the training paradigm (diagonal) is {glue:text}`gen_diag:.2f`;
# off the diagonal it averages {glue:text}`gen_off:.2f` (95 % interval over the training
# paradigm {glue:text}`gen_off_ci.low:.2f`–{glue:text}`gen_off_ci.high:.2f`; range of the whole matrix
# {glue:text}`gen_min:.2f`–{glue:text}`gen_max:.2f`); {glue:text}`gen_off_above:.0f` % of the
# off-diagonal cells reach 0.75 and {glue:text}`gen_reversed:.0f` % are below 0.4 (the probe points the
# wrong way). The
# probe that transfers best is trained on {glue:text}`gen_best_source` (mean
# {glue:text}`gen_best_source_mean:.2f` elsewhere). The best off-diagonal cell is
# {glue:text}`gen_high_pair` ({glue:text}`gen_high:.2f`), the worst {glue:text}`gen_low_pair`
# ({glue:text}`gen_low:.2f`); {glue:text}`gen_cross_text`. Sparse minus dense: mean
# {glue:text}`gen_diff_mean:+.3f` off the diagonal ({glue:text}`gen_diff_mean_ci.low:+.3f` to
# {glue:text}`gen_diff_mean_ci.high:+.3f`), range {glue:text}`gen_diff_range`. Sparse and dense probes
# can only "transfer alike" where they transfer at all: an off-diagonal interval at 0.5 makes
# their equality say nothing.

# %% [markdown]
# ## What we found here, and how it compares with the paper

# %% tags=["remove-input"]
kit.what_we_found(params, chapter.measured_points(summary))

# %% [markdown] tags=["default-run"]
# The sentences below describe the default run (quick profile: generated pairs, Gemma-3-270M,
# d = {glue:text}`d_model`); the numbers are recomputed on every run.
#
# - **Grammaticality is linearly decodable** from the EOS state: the dense probe reaches
#   {glue:text}`dense_best:.2f` (layer {glue:text}`dense_best_layer`), best in the middle of the
#   network. The generated paradigms are template-made and lexically narrow, so they are probably
#   easier than BLiMP's (run the `paper` profile to see).
# - **Few dimensions suffice** (paper Fig. 2: about 10 % of the dimensions for about 95 % of
#   the accuracy in the middle layers): over the λ sweep, {glue:text}`sweep_text`. At that λ
#   the last third keeps {glue:text}`sweep_kept_last_pct:.1f` % (the paper: more in later
#   layers).
# - **Top-k by |t|** (Fig. 3): the top 1 % ({glue:text}`n_top` dimensions) give
#   {glue:text}`top_acc_mean:.2f` accuracy ({glue:text}`top_pct_of_dense:.0f` % of dense); the
#   paper's top 40 of 4,096 gave about 0.85. 1 % of 640 is only {glue:text}`n_top` dimensions.
#   95 % of the dense accuracy needs a median {glue:text}`k95_middle` dimensions in the middle
#   layers; a quarter of the width gives {glue:text}`quarter_pct_of_dense:.1f` %
#   ({glue:text}`quarter_pct_of_dense_ci.low:.1f`–{glue:text}`quarter_pct_of_dense_ci.high:.1f` %; the
#   paper: well over 95 % from 1,024 of 4,096).
# - **Mask vs |t|** (Fig. 4): the correlation is positive but weak here
#   ({glue:text}`rho_gen_mean:.2f` at $\lambda$ = {glue:text}`gen_lambda`, against a ceiling of
#   about {glue:text}`rho_ceiling:.2f` for a mask that kept exactly the top-$|t|$ dimensions),
#   much weaker than the paper's. The two selections overlap only partly. One possible reason:
#   the L0 probe keeps dimensions that are useful *together* (of two correlated dimensions it
#   needs one), which a per-dimension t-test cannot see; exercise 2 looks closer.
# - **Localisation** (Fig. 5): the top 1 % match about {glue:text}`multiple_median_text`× as
#   many random dimensions ({glue:text}`multiple_interval` over draws; the paper: 6× or more in
#   most layers, 3-6× in the last ones).
# - **Generalisation** (Fig. 6): transfer is the exception here, not the rule: the
#   off-diagonal mean is {glue:text}`gen_off:.2f` and only {glue:text}`gen_off_above:.0f` % of
#   the cells reach 0.75. It works between paradigms that test the same contrast (best:
#   {glue:text}`gen_high_pair`, {glue:text}`gen_high:.2f`), and it *reverses* between paradigms
#   whose templates swap the roles of the same words (worst: {glue:text}`gen_low_pair`,
#   {glue:text}`gen_low:.2f`): in the default run, transitive vs intransitive verbs, the に/を
#   particles and *that* vs *what* each appear as "good" in one paradigm and "bad" in the other.
#   A probe that learned "this word is wrong here" then points the wrong way. The paper found
#   more transfer (a blue band of paradigms that generalise widely) on BLiMP with an 8B model.
#   Sparse and dense probes transfer alike (mean difference {glue:text}`gen_diff_mean:+.3f`), as
#   in the paper.

# %% [markdown]
# ## Exercises
#
# :::{exercise}
# :label: ex04-blimp
#
# Run with `-p PAIR_SOURCES '["blimp"]'` (or `--profile paper`). Which BLiMP paradigms does
# the model itself get wrong (table above), and are they the ones the probes find hard?
# :::
#
# :::{exercise}
# :label: ex04-shared-dims
#
# Which dimensions are in the top 1 % of several paradigms at once? Count, per layer, how
# often each dimension appears in the top {glue:text}`n_top` across paradigms, and compare
# with the dimensions the L0 probes keep (`neuron_utils.methods.probes.train_l0` returns the masks).
# :::
#
# :::{exercise}
# :label: ex04-steps
#
# Lower `L0_STEPS` to 100 and raise it to 1,000. How stable are the kept fractions?
# :::
#
# :::{solution} ex04-steps
# :class: dropdown
#
# A parameter change; the share of dimensions the probes keep in the first, middle and last layers:
#
# ```python
# for steps in [100, 1000]:
#     other = chapter.summarise(chapter.analyse(model, params.replace(L0_STEPS=steps)))
#     print(steps, "steps: kept", round(other["kept_first_pct"], 1), round(other["kept_middle_pct"], 1),
#           round(other["kept_last_pct"], 1), "%")
# ```
# :::
#
# :::{exercise}
# :label: ex04-asymmetry
#
# The generalisation matrix is not symmetric. Find a pair of paradigms where the transfer
# works one way only, and explain it from the templates.
# :::
#
# :::{exercise}
# :label: ex04-pooling
#
# Replace the EOS state by the last token of the sentence (`pooling="last"` in
# the `collect` call of `chapter.analyse`). Does grammaticality become easier or harder to read out?
# :::
#
# ## References
#
# Sato et al. {cite:p}`sato2025locality`; Hard-Concrete L0 {cite:p}`louizos2018learning`;
# sparse probing {cite:p}`gurnee2023finding`; BLiMP {cite:p}`warstadt2020blimp`; JBLiMP
# {cite:p}`someya2023jblimp`. Full entries: {doc}`/book/references`.

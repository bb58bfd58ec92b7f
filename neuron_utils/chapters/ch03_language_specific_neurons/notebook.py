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
# # Language-specific neurons (LAPE)
#
# **Question.** Does the model have neurons that fire for one language (or a few) and hardly
# for the others? Where are they, what happens when they are switched off, and can they steer
# the output language?
#
# **What the paper found.** Tang et al. {cite:p}`tang2024language` compute, for every MLP
# neuron $(l, i)$ and language $k$, the activation probability $p_{l,i}^{k}$ (share of the
# language's tokens on which $a(xW_G) > 0$), L1-normalise it over languages and take its
# entropy (LAPE):
#
# $$ p'^{k}_{l,i} = \frac{p^{k}_{l,i}}{\sum_{k'} p^{k'}_{l,i}}, \qquad
#    \mathrm{LAPE}_{l,i} = -\sum_k p'^{k}_{l,i} \log p'^{k}_{l,i}. $$
#
# Low-entropy neurons (1 % of all) are language-specific. They lie mostly in the first and last
# layers (a U shape), related languages share some (zh–ja, fr–es), deactivating one language's
# neurons raises the perplexity of that language most (the diagonal of the matrix), and
# activating another language's neurons makes the model answer in that language.

# %% tags=["parameters"]
PROFILE = "quick"  # quick: bundled corpus (8 languages); paper: FLORES-200 devtest
MODEL = "gemma-3-270m"
DTYPE = "auto"
DEVICE = "auto"  # auto: a CUDA GPU where there is one, else cpu; cuda, cuda:N, map (several GPUs)
DATA_SOURCE = "bundled"  # bundled | flores | own .tsv/.csv/.jsonl/.parquet | hf:<id>
DATA_COLUMNS = {}  # own table: language code -> column, where the column has another name
LANGUAGES = ["en", "ja", "nl", "ko", "it", "zh", "fr", "es"]
N_STATS_SENTENCES = 150  # sentences per language for activation probabilities
N_EVAL_SENTENCES = 12  # held-out sentences per language for perplexity
SITE = "gate"  # gate: act(gate(x)) > 0, as LAPE's code; neurons: act(gate(x)) * up(x) > 0
TOP_RATE = 0.01
FILTER = 0.95
ACTIVATION_BAR = 0.95
STEER_SOURCE = "en"  # language of the prompts
STEER_TARGETS = ["fr", "ja", "ko"]
STEER_SCALE = 4.0  # multiple of the target language's mean activation
STEER_SCALES = [1.0, 2.0, 4.0, 8.0]  # the LAPE sweep (includes STEER_SCALE)
DIFFMEAN_LAYER = 12  # DiffMean: residual stream after this layer
DIFFMEAN_SCALES = [0.5, 1.0, 2.0, 4.0, 8.0]  # x (target mean - source mean)
FLUENT_PERPLEXITY_RATIO = (
    3.0  # fluent: perplexity at most this x held-out perplexity of its language
)
FLUENT_REPETITION = 0.2  # ... and at most this share of repeated token 3-grams
N_PROMPTS = 8
MAX_NEW_TOKENS = 20
SEED = 0
BATCH_SIZE = 32

# %%
import neuron_utils as nu
from neuron_utils import kit
from neuron_utils.chapters import ch03_language_specific_neurons as chapter

# checked here: a bad value fails before the model loads
params = kit.start_chapter(chapter, globals())

# %% [markdown]
# ## Set-up
#
# Each language's sentences are split once, with a seed, into `N_STATS_SENTENCES` for the
# statistics and `N_EVAL_SENTENCES` held out for perplexity. Activation probabilities are
# counted over all tokens except BOS with streaming counts (memory: layers × neurons per
# language; no per-token activations are kept), for both neuron sites.

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
# With `SITE` = `gate` the mean activation probability is {glue:text}`mean_p_gate:.2f`; at the
# product site $a(xW_G)\odot xW_U$ it is {glue:text}`mean_p_neurons:.2f` (near 0.5, the product
# is positive for about half of the tokens whatever the language: the sign of the up projection
# is then close to a coin flip). LAPE selects {glue:text}`n_selected` neurons; the selection at the other
# site overlaps with it by {glue:text}`site_overlap:.2f` (Jaccard).
#
# ## Where are the language-specific neurons?
#
# Neurons assigned to each language, per layer (the paper's U shape: many in the first and last
# layers, few in the middle). A neuron can be assigned to several languages.

# %%
chapter.plot_layers(results)

# %% [markdown]
# The first and last three layers hold {glue:text}`edge_share:.0f` % of the selected neurons
# (uniform: {glue:text}`edge_share_uniform:.0f` %). Neurons per language:

# %%
chapter.counts_table(results)

# %% [markdown]
# ## Entropy and language overlap
#
# Left: LAPE entropy of all neurons that pass the filter (maximum entropy $\log K$ =
# {glue:text}`max_entropy:.2f`: equally active in every language). Right: neurons shared by
# each pair of languages (diagonal: the language's own count).

# %%
chapter.plot_entropy_overlap(results)

# %% [markdown]
# The pair of languages sharing most neurons is {glue:text}`top_pair` ({glue:text}`top_pair_count`
# neurons); {glue:text}`related_shared_text`.
#
# ## Sensitivity to the three thresholds
#
# Number of selected neurons and of language assignments as `TOP_RATE`, `FILTER` and
# `ACTIVATION_BAR` vary one at a time around the chosen values (at site `SITE`).

# %%
chapter.sensitivity_table(results)

# %% [markdown]
# ## Deactivation perplexity matrix
#
# Rows: the language whose neurons are zeroed at the `SITE` site (all positions), plus "none"
# and "random" (as many random neurons per layer as the union of all languages' sets, outside
# it). Columns: held-out sentences of each language. Shown: the change of perplexity relative
# to "none", in % (colour: log10 of the perplexity ratio, so that one huge cell does not hide
# the rest).

# %%
chapter.plot_perplexity(results)

# %% [markdown]
# Deactivating a language's neurons raises that language's perplexity by
# {glue:text}`diag_mean:.0f` % on average (diagonal), other languages' by
# {glue:text}`offdiag_mean:.0f` % (off-diagonal), and random neurons of the same per-layer count
# change it by {glue:text}`random_mean:.1f` %. Resampling each language's held-out sentences
# (95 % intervals), the diagonal exceeds the off-diagonal by
# [{glue:text}`diag_minus_offdiag_ci.low:+.0f`, {glue:text}`diag_minus_offdiag_ci.high:+.0f`] percentage
# points, and exceeds twice the larger of the off-diagonal and the random set by
# [{glue:text}`diag_beyond_twice_ci.low:+.0f`, {glue:text}`diag_beyond_twice_ci.high:+.0f`]. In
# {glue:text}`diag_is_row_max` of {glue:text}`n_languages` rows the evaluated language hurt most is the deactivated one.
# {glue:text}`related_text`
#
# ## Steering the output language
#
# Prompts in `STEER_SOURCE` (held-out sentences, cut after their first half) are continued
# greedily, (a) unchanged, and (b) with the target language's neurons set to `STEER_SCALE`
# times their mean activation in that language at every generated step. The output language is
# identified by py3langid among `LANGUAGES`.

# %%
chapter.steering_examples(results)

# %%
chapter.steering_table(results)

# %% [markdown]
# With the target language's neurons set to {glue:text}`steer_scale` × their mean activation,
# the share of continuations identified as the target language is
# {glue:text}`steer_min:.2f`–{glue:text}`steer_max:.2f` across targets (mean
# {glue:text}`steer_mean:.2f`).
#
# ## A simpler rival: steering by a difference of means
#
# A recent benchmark of language steering, CLaS-Bench {cite:p}`gurgurov2026clas`, found that a
# much simpler method beats language-specific neurons: add to the residual stream, at one layer
# and every position, the difference between the mean hidden state of target-language text and
# that of source-language text, times a scale (DiffMean). Here the means are taken after layer
# `DIFFMEAN_LAYER` over the same statistics sentences as LAPE (each sentence's token mean,
# BOS left out), so scale 1 moves the mean English state onto the mean target-language state.
# Beside it, the paper's own case study, which did more than activate: it **deactivated the
# source language's neurons and activated the target's** ("LAPE swap" below; the target's
# neurons set as above, the source's set to 0). All three methods steer the same prompts over
# a sweep of scales.
#
# A continuation counts as **in the target language** when py3langid says so, and as
# **fluent** when (a) its perplexity, as a text of its own under the unsteered model, is at
# most `FLUENT_PERPLEXITY_RATIO` times the held-out perplexity of the language it is
# identified as (the "none" row of the matrix above), and (b) at most `FLUENT_REPETITION` of
# its token 3-grams repeat an earlier one (greedy loops have a low perplexity, so (a) alone
# would pass them). A **success** is both. The unsteered continuations pass the fluency rule in
# {glue:text}`steer_unchanged_fluent:.2f` of cases: the rule's own baseline.

# %%
chapter.plot_steering_sweep(results)

# %%
chapter.sweep_table(results)

# %% [markdown]
# The best scale of a sweep, scored on the prompts that chose it, flatters every method. So each
# method's scale is chosen on half of the {glue:text}`n_held_out_prompts` prompts (even
# positions) and its success counted on the other half, and the other way round: no
# continuation is scored under a scale its own prompt helped choose. Intervals are 95 %
# bootstraps over prompts. On held-out prompts, LAPE neurons (scales chosen
# {glue:text}`steer_half_scales_lape` × the mean activation) succeed in
# {glue:text}`steer_success_lape:.2f` of the continuations ({glue:text}`steer_success_lape_ci.low:.2f`–
# {glue:text}`steer_success_lape_ci.high:.2f`; {glue:text}`steer_target_lape:.2f` in the target
# language, {glue:text}`steer_fluent_lape:.2f` fluent); the paper's swap
# ({glue:text}`steer_half_scales_swap`) in {glue:text}`steer_success_swap:.2f`
# ({glue:text}`steer_success_swap_ci.low:.2f`–{glue:text}`steer_success_swap_ci.high:.2f`;
# {glue:text}`steer_target_swap:.2f` in the target language); DiffMean after layer
# {glue:text}`diffmean_layer` ({glue:text}`steer_half_scales_diffmean` × the difference of
# means) in {glue:text}`steer_success_diffmean:.2f`
# ({glue:text}`steer_success_diffmean_ci.low:.2f`–{glue:text}`steer_success_diffmean_ci.high:.2f`;
# {glue:text}`steer_target_diffmean:.2f` in the target language,
# {glue:text}`steer_fluent_diffmean:.2f` fluent). DiffMean minus LAPE neurons, paired over
# prompts: {glue:text}`steer_difference:+.2f` ({glue:text}`steer_difference_ci.low:+.2f` to
# {glue:text}`steer_difference_ci.high:+.2f`). A method wins when its paired difference from each
# other method has an interval above 0. Winner on this run: **{glue:text}`steer_winner`**.

# %% [markdown]
# ## What we found here, and how it compares with the paper

# %% tags=["remove-input"]
kit.what_we_found(params, chapter.measured_points(summary))

# %% [markdown] tags=["default-run"]
# The sentences below describe the default run (quick profile); the numbers are recomputed on
# every run.
#
# - **Selection.** LAPE finds {glue:text}`n_selected` low-entropy neurons (1 % of all). The
#   first three layers hold {glue:text}`first_share:.0f` % of them, the last three
#   {glue:text}`last_share:.0f` %, the middle third of the network {glue:text}`middle_share:.0f` %
#   (a uniform spread: 17 %, 17 % and 33 %; uniform placement of this many neurons puts up to
#   {glue:text}`end_share_uniform_q975:.1f` % on three layers by chance). The paper's U shape
#   shows here as a lopsided U: the last layers dominate, the first layer has a smaller peak,
#   the middle has few.
# - **Sites.** The gate site and the product site select different neurons (Jaccard
#   {glue:text}`site_overlap:.2f`); at the product site "active" is close to a coin flip for
#   every neuron, so the gate site is the meaningful one for LAPE.
# - **Deactivation.** The diagonal rises most ({glue:text}`diag_mean:.0f` % vs
#   {glue:text}`offdiag_mean:.0f` % off the diagonal; random {glue:text}`random_mean:.1f` %),
#   as in the paper; the deactivated language is the one hurt most in
#   {glue:text}`diag_is_row_max` of {glue:text}`n_languages` rows (a language with few neurons
#   has a weak row).
# - **Steering.** At {glue:text}`steer_scale` × the mean activation,
#   {glue:text}`steer_min:.2f`–{glue:text}`steer_max:.2f` of the continuations are identified
#   as the target language. Read the examples before
#   trusting that share: in the default run most steered continuations are repetitive
#   fragments in the target script rather than fluent text (a language identifier only needs
#   a few characters). Smaller scales keep the text fluent but flip the language less often
#   (exercise 3); the paper steered a 7B model, whose language neurons may be more separable.
# - **The rival.** Adding a difference of means to the residual stream, the method CLaS-Bench
#   found best, succeeds in {glue:text}`steer_success_diffmean:.2f` of the held-out
#   continuations against {glue:text}`steer_success_lape:.2f` for the LAPE neurons and
#   {glue:text}`steer_success_swap:.2f` for the paper's swap (winner by paired intervals over
#   prompts: {glue:text}`steer_winner`).

# %% [markdown]
# ## Exercises
#
# :::{exercise}
# :label: ex03-site
#
# Re-run with `-p SITE '"neurons"'`. How do the layer distribution and the perplexity matrix
# change?
# :::
#
# :::{solution} ex03-site
# :class: dropdown
#
# A parameter change; the layer shares and the perplexity matrix's diagonal against the rest:
#
# ```python
# for site in ["gate", "neurons"]:
#     other = chapter.summarise(chapter.analyse(model, params.replace(SITE=site)))
#     shares = [round(other[f"{part}_share"]) for part in ("first", "middle", "last")]
#     print(site, "first/middle/last layers (%)", shares,
#           "diagonal", round(other["diag_mean"], 1), "off-diagonal", round(other["offdiag_mean"], 1))
# ```
# :::
#
# :::{exercise}
# :label: ex03-zh-ja
#
# Which neurons are shared by zh and ja? Look at the tokens on which they fire most.
# :::
#
# :::{exercise}
# :label: ex03-scale
#
# The sweep ran every scale of `STEER_SCALES` (`-p STEER_SCALES '[1.0, 2.0, 4.0, 8.0, 16.0]'`
# widens it). Plot the target-language share against the scale for both methods: where does
# it saturate, and where does fluency break?
# :::
#
# :::{solution} ex03-scale
# :class: dropdown
#
# A few calls on `results.judged`, one row per continuation of the sweep:
#
# ```python
# by_scale = results.judged.groupby(["method", "scale"])[["in target", "fluent"]].mean()
# print(by_scale.round(2).to_string())
# ```
# :::
#
# :::{exercise}
# :label: ex03-zero-source
#
# Zero the source language's neurons as well as setting the target's (add a second
# `nu.Intervention` to the list). Does steering get easier?
# :::
#
# :::{exercise}
# :label: ex03-paper
#
# Run `--profile paper` (FLORES-200, the LAPE paper's languages). Does the diagonal still
# dominate?
# :::
#
# :::{exercise}
# :label: ex03-layer
#
# Move the DiffMean layer: `-p DIFFMEAN_LAYER 6` and `-p DIFFMEAN_LAYER 15`. Where does a
# scale of 1 already switch the language, and where does fluency break first?
# :::
#
# :::{solution} ex03-layer
# :class: dropdown
#
# A parameter change; the DiffMean steering's best scale, success and fluency at each layer:
#
# ```python
# for layer in [6, 15]:
#     other = chapter.summarise(chapter.analyse(model, params.replace(DIFFMEAN_LAYER=layer)))
#     print(layer, "best scale", other["steer_best_scale_diffmean"],
#           "success", round(other["steer_success_diffmean"], 2),
#           "fluent", round(other["steer_fluent_diffmean"], 2))
# ```
# :::
#
# ## References
#
# Tang et al. {cite:p}`tang2024language` and their released code {cite:p}`tang2024code`
# (`identify.py`: the LAPE rates); CLaS-Bench {cite:p}`gurgurov2026clas`; FLORES-200
# {cite:p}`nllb2022`. Full entries:
# {doc}`/book/references`.

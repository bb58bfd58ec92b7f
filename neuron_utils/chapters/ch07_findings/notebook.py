# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# (findings)=
# # The findings, claim by claim
#
# **The question.** Which of the four papers' claims hold on Gemma-3-270M, which do not, and
# why? This page puts every claim beside what this book measured, on the `quick` profile that
# `make book` runs and at the largest size that was run on the papers' data (the `paper` or
# `paper-lite` profile, kept in `book/paper_results/`).
#
# **How it is built.** Nothing is measured on this page. Every number in the tables below is
# read from the summary that a chapter recorded when it last ran (`book/results/NN.json`, the
# output of its `summarise()`) or from a kept paper-size summary, and every verdict follows a
# rule written down with the claim, in the `claims.py` of the chapter that measures it (with the
# test cases that show the rule passing and failing), from the paper's statement rather than
# from this model's numbers:
#
# - **reproduces**: the effect the paper states is there, beyond the chapter's baseline, and
#   about as large where the paper gives a size;
# - **partly**: the direction holds but not the size, or only in some of the conditions;
# - **does not**: the effect is absent or reversed;
# - **not testable on this model**: nothing this book can run measures it (the row says why).
#
# A chapter that has not run shows "not run", one last run with parameters of its own (not the
# quick profile's) "custom run" with the parameters that differ: its numbers are not the ones
# the claims were judged on, so it is not graded. A kept summary recorded before a measurement
# existed shows "not recorded". The headline verdict of a row is the one of the largest size run
# on the papers' data where there is one, else the quick one. Every rule decides on an interval
# (bootstrap or permutation) or on a tolerance it states, never on a bare point estimate; where
# the paper leaves a choice open that changes the verdict, the row gives the verdict under each
# choice.

# %% tags=["parameters"]
PROFILE = "quick"  # the findings read what the chapters recorded; they measure nothing
MODEL = "gemma-3-270m"
DTYPE = "auto"
DEVICE = "auto"  # auto: a CUDA GPU where there is one, else cpu; cuda, cuda:N, map (several GPUs)
SEED = 0
BATCH_SIZE = 32

# %%
import neuron_utils as nu
from neuron_utils import kit
from IPython.display import HTML, display
from neuron_utils.book import registry

chapter = registry.chapter_module(registry.findings())  # this page's package, by its number
params = kit.start_chapter(chapter, globals())
results = chapter.analyse(params, registry.modules())  # every chapter, as _toc.yml lists them

# %% tags=["remove-cell"]
summary = chapter.summarise(results)
kit.glue_summary(chapter, summary)
kit.record_results(chapter, params, {}, summary)

# %% [markdown]
# ## In short
#
# Of {glue:text}`n_claims` claims, {glue:text}`n_reproduces` reproduce on this model,
# {glue:text}`n_partly` partly, {glue:text}`n_does_not` do not, and
# {glue:text}`n_not_testable` cannot be tested here. {glue:text}`n_not_run` could not be judged
# because their chapter has not run on the `quick` profile as defined (chapters not run, or last
# run with other parameters: {glue:text}`chapters_not_run`),
# {glue:text}`n_not_recorded` because the recorded summary predates their measurement.
# {glue:text}`n_judged_on_paper_size` verdicts come from a run on the papers' data; most of those
# runs are smaller than the papers' (`paper-lite`), and each row says how much smaller, as a
# share of the paper's size.
#
# Three findings to take away:
#
# 1. **The paper's > 90 % "cross-lingual" classifier detects the corpus, not the meaning**
#    (Tezuka & Inoue Fig. 7: {glue:text}`verdict_ti_fig7`, from the
#    {glue:text}`takeaway_ti_fig7_from` run). With the authors' own non-parallel pairs, English
#    sentences from another corpus, the probe on both sentences reaches
#    {glue:text}`takeaway_cv_concat_cross_corpus_mean` and a probe that sees only the English
#    sentence {glue:text}`takeaway_cv_l1_only_cross_corpus_mean`; on non-parallel pairs from the
#    same corpus the paper's probe is near chance (chapter 1).
# 2. **Ablating "different meaning" neurons hurts grammar most, as in Table 1, but so does
#    ablating as many of the most active neurons** (Tezuka & Inoue Table 1:
#    {glue:text}`verdict_ti_table1`). BLiMP accuracy changes by
#    {glue:text}`takeaway_delta_en_different` with the set zeroed; zeroing as many neurons with
#    the largest mean |activation|, chosen without any pairs, does about as much (accuracy with
#    the "different" set zeroed minus that with the top-n zeroed:
#    {glue:text}`takeaway_different_minus_magnitude_en`). The sets are ranked by summed
#    activation, which selects magnitude (chapter 6).
# 3. **Language-specific neurons switch the output language, and so does a much simpler
#    direction; fluency is the limit of both** (Tang et al., steering:
#    {glue:text}`verdict_tang_steering`). At its best scale, steering with LAPE neurons as the
#    paper's case study did (the source language's off, the target's on) gives a fluent
#    continuation in the target language in {glue:text}`takeaway_steer_success_swap` of cases,
#    activating the target's alone in {glue:text}`takeaway_steer_success_lape`, and a difference
#    of means added to the residual stream in {glue:text}`takeaway_steer_success_diffmean` (all
#    on prompts that did not choose the scale); winner by paired intervals over prompts:
#    **{glue:text}`takeaway_steer_winner`** (chapter 3). Larger scales flip more outputs into
#    loops.
#
# Every verdict on chapters 1, 2 and 6 is taken against a baseline that matches what the
# selection favours, and each row names it: cross-validation whose folds share no sentence; the
# top-100 AP and the layers of the top set against the same statistics under permutations that
# respect the pair design; zeroing effects measured on pairs that did not choose the set; and
# random sets matched by count per layer *and* by magnitude, whichever is the stricter.
#
# Verdicts per column (a claim counts once per column):

# %%
chapter.verdict_counts_table(results)

# %% [markdown]
# ## Tezuka & Inoue: language-agnostic processing
#
# Do L1 and L2 sentences with the same meaning share representations and "common" neurons
# {cite:p}`tezuka2025agnostic`? Chapters 1, 2 and 6.

# %%
display(HTML(chapter.findings_table(results, chapter.SEEDS[0])))

# %% [markdown]
# ## Tang et al.: language-specific neurons
#
# LAPE neurons, their layers, their overlap, deactivation and steering
# {cite:p}`tang2024language`. Chapter 3.

# %%
display(HTML(chapter.findings_table(results, chapter.SEEDS[1])))

# %% [markdown]
# ## Sato et al.: locality of grammatical information
#
# Sparse probes of minimal pairs {cite:p}`sato2025locality`. Chapter 4.

# %%
display(HTML(chapter.findings_table(results, chapter.SEEDS[2])))

# %% [markdown]
# ## Wang et al.: neurons shared across languages
#
# All-shared, partial-shared and specific neurons, their attribution, deactivation and
# boosting {cite:p}`wang2024sharing`. Chapter 5.

# %%
display(HTML(chapter.findings_table(results, chapter.SEEDS[3])))

# %% [markdown]
# ## Where the numbers come from
#
# The quick column is the last run of each chapter on the `quick` profile (`make book`). The
# "largest size run" column is a kept run on the papers' data: its profile, its sizes as shares
# of the paper's, commit, date, wall time and machine below.
# `python -m neuron_utils run all --profile paper-lite` re-creates every kept summary (a chapter
# without a smaller size runs at the paper size), then this page.

# %%
chapter.provenance_table(results)

# %% tags=["remove-input"]
kit.show_markdown(nu.book.kept_currency_text())

# %% [markdown]
# ## What we found here
#
# The verdicts above are this page's findings; each row links to the chapter section that
# measures the claim, where the figure, the baseline and the discussion are. Where a verdict
# differs between the two columns, the size of the data decides it: read the larger run's
# first. The reasons in the last column are those the chapters found: a different design (the
# cross-corpus non-parallel pairs), the model's size (270M parameters against 7-8B), the data,
# or a choice in the released code (the substring layer match of the ablation script).
#
# ## Exercises
#
# :::{exercise}
# :label: ex07-layer
#
# Re-run chapter 3 with `-p DIFFMEAN_LAYER 6`, then this page (`python -m neuron_utils run
# 03 findings`). Does the steering verdict change?
# :::
#
# :::{exercise}
# :label: ex07-rule
#
# Pick a claim judged "partly". Read its rule in its chapter's `claims.py`: would you state the
# rule differently from the paper's text? Change it and see which verdicts move.
# :::
#
# :::{exercise}
# :label: ex07-size
#
# Run one chapter at `--profile paper-lite` and rebuild this page: which verdicts depend on
# the data size?
# :::
#
# ## References
#
# Tezuka & Inoue {cite:p}`tezuka2025agnostic`; Tang et al. {cite:p}`tang2024language`; Sato et
# al. {cite:p}`sato2025locality`; Wang et al. {cite:p}`wang2024sharing`. The released code the
# chapters read, with the commits and files: Tezuka & Inoue {cite:p}`tezuka2025code` (the
# cross-corpus pairs, the ablation sets, the layer matching, JBLiMP's English task set); Tang
# et al. {cite:p}`tang2024code` (the LAPE rates); Wang et al. {cite:p}`wang2024code` (the
# categories and the contribution score). Full entries:
# {doc}`/book/references`.

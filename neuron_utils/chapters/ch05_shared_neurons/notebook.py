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
# # Neurons shared by all, some or one language
#
# **Question.** When the model reads the same content in several languages, which of its
# neurons fire in every language, which in some, which in only one? Does that depend on the
# task the input poses, and do the neurons that every language shares matter more for a
# correct answer than the others?
#
# **What the paper found.** Wang et al. {cite:p}`wang2024sharing` sorted the neurons of
# BLOOMZ-7b1-mt, for each input given in several languages, into four groups by the number of
# languages in which they fire: **all-shared** (every language), **partial-shared** (some),
# **specific** (one) and **non-activated** (none). They report that (i) the sharing pattern
# depends strongly on the type of task, and changes from input to input even within one task;
# (ii) all-shared neurons play the key role in producing correct answers (by an attribution
# score); (iii) "boosting" all-shared neurons improves accuracy on multilingual tasks (a claim
# their second version drops; the third adds that deactivating all-shared neurons hurts).
# Their released notebooks {cite:p}`wang2024code` fix the definitions used here (below); how they deactivated and
# boosted neurons is not in the released code, so this chapter defines both and says how.

# %% tags=["parameters"]
PROFILE = "quick"  # quick: bundled corpus, translation choice; paper(-lite): FLORES and XCOPA
MODEL = "gemma-3-270m"
DTYPE = "auto"
DEVICE = "auto"  # auto: a CUDA GPU where there is one, else cpu; cuda, cuda:N, map (several GPUs)
DATA_SOURCE = "bundled"  # bundled | flores | own table (.tsv .csv .jsonl .parquet, hf:<id>)
DATA_COLUMNS = {}  # own table: language code -> column, where the column has another name
LANGUAGES = ["en", "ja", "nl", "ko", "it", "zh", "fr", "es"]
N_SENTENCES = 60  # multi-parallel sentences whose categories are measured
TASKS = ["translation"]  # translation | xcopa
TARGET_LANGUAGE = "en"  # translation choice: candidates in this language
XCOPA_LANGUAGES = ["et", "ht", "id", "it", "qu", "sw", "ta", "th", "tr", "vi", "zh"]
N_TASK_ITEMS = 6  # items per task (each in every language): 6 x 7 x 2 x 15 conditions
CHOICES = 2  # candidates per translation item (XCOPA has 2)
CATEGORY_SITE = "gate"  # act(gate(x)): "active" means > THRESHOLD here
THRESHOLD = 0.0  # the authors' "> 0"
THRESHOLDS = [0.0, 0.1, 0.2, 0.3, 0.4, 0.5]
TOP_K = 100  # top contributors per layer (the authors: 800 of 16,384; 100 of 2,048)
DEACTIVATE = ["all-shared", "partial-shared", "specific"]
BOOST_FACTORS = [1.5, 3.0]
N_RANDOM_SEEDS = 2  # random sets matched per item and layer, for each deactivation
N_BOOST_RANDOM_SEEDS = 1  # ... and for each boosting factor
N_BOOTSTRAP = 2000
SEED = 0
BATCH_SIZE = 32

# %%
import neuron_utils as nu
from neuron_utils import kit
from neuron_utils.chapters import ch05_shared_neurons as chapter

# checked here: a bad value fails before the model loads
params = kit.start_chapter(chapter, globals())

# %% [markdown]
# ## Set-up
#
# **Inputs.** An *item* is one content in every language of a set: a sentence of the
# multi-parallel corpus in `LANGUAGES`, or a task item rendered in each task language.
#
# **Active.** At the last token of each version, a neuron is active if its value at
# `CATEGORY_SITE` is above `THRESHOLD` (the authors: > 0 on the MLP activation of BLOOM). In a
# gated MLP the neuron's value is $\mathrm{act}(g)\,u$: its sign is the sign of the linear
# "up" branch $u$ as much as of the gate, so it is positive about half of the time for every
# neuron, whatever the input. "Firing" is a property of the gate, $\mathrm{act}(g) > 0$: that
# is the site used here (chapter 3 uses it for the same reason).
#
# **Categories.** With $n$ the number of an item's languages in which a neuron is active:
# all-shared $n = L$, partial-shared $2 \le n \le L - 1$, specific $n = 1$, non-activated
# $n = 0$, for every neuron of every layer, per item. Shares are averaged over items; the bands
# in the figures run from the smallest to the largest share over items.
#
# **Tasks.** `translation`: an input sentence in one language after its language's name, and
# `CHOICES` English sentences after "English:", one its translation and the others
# translations of other items of the sample; the model chooses the candidate with the highest
# summed log-probability, as evaluation harnesses score multiple choice. `xcopa` (paper
# profile): premise, the language's "because"/"therefore", two continuations. The categories of
# a task item are measured on its prompts, at the prompt's last token.

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
# ## Categories, layer by layer
#
# Share of each layer's neurons in each category: {glue:text}`n_items_sentences` plain
# sentences in {glue:text}`n_languages_sentences` languages, and the prompts of
# {glue:text}`n_items_translation` translation items in
# {glue:text}`n_languages_translation` languages (band: range over items).

# %%
chapter.plot_category_layers(summary)

# %% [markdown]
# Over all layers and items (range over items in brackets), with the any-token variant (a
# neuron counts as active in a language if it fires on any token of that version, the BOS
# left out) and the number of neurons that keep one category for every item:

# %%
chapter.category_table(summary)

# %% [markdown]
# On plain sentences {glue:text}`share_sentences_all_shared_pct:.1f` % of the neurons are
# all-shared, {glue:text}`share_sentences_partial_shared_pct:.1f` % partial-shared,
# {glue:text}`share_sentences_specific_pct:.1f` % specific and
# {glue:text}`share_sentences_non_activated_pct:.1f` % non-activated. The translation prompts,
# which all end in the same words ("English:"), shift the all-shared share by
# {glue:text}`share_shift_translation_all_shared_pct:+.1f` points and the partial-shared share
# by {glue:text}`share_shift_translation_partial_shared_pct:+.1f`; for all-shared neurons the
# ranges over items of the two kinds of input {glue:text}`ranges_text_translation_all_shared`.
# Of all neurons, {glue:text}`stable_sentences_pct:.1f` % (sentences) and
# {glue:text}`stable_translation_pct:.1f` % (translation prompts) keep one category for every
# item; of the neurons that do, {glue:text}`stable_sentences_non_activated:,` (sentences) and
# {glue:text}`stable_translation_non_activated:,` (translation) are non-activated for every item,
# {glue:text}`stable_sentences_all_shared:,` and {glue:text}`stable_translation_all_shared:,`
# all-shared for every item.

# %% [markdown] tags=["default-run"]
# Within one kind of input the shares move little from item to item (the brackets), but the
# neurons do: few keep their category from one item to the next.

# %% [markdown]
# **Is it the task, or the prompt's last words?** Every translation prompt ends in the target
# language's name ("English:"), whatever its language, so its last-token states are alike
# across languages by construction; and the prompts come in
# {glue:text}`n_languages_translation` languages, the sentences in
# {glue:text}`n_languages_sentences` (all-shared means "in every one of them"). The last two
# rows of the table control both: plain sentences in the task's languages
# ({glue:text}`share_sentences_task_languages_all_shared_pct:.1f` % all-shared), and the
# translation items as prompts that put the instruction first and end in the sentence itself
# ({glue:text}`share_translation_ending_all_shared_pct:.1f` %, a shift of
# {glue:text}`share_shift_translation_ending_all_shared_pct:+.1f` points; the ranges over items
# {glue:text}`ranges_text_translation_ending_all_shared`). Counting any token instead of the last one,
# all-shared becomes {glue:text}`all_tokens_sentences_all_shared_pct:.1f` % on sentences.
#
# **Threshold.** The authors checked their categories at thresholds from 0 to 0.5:

# %%
chapter.plot_threshold_sweep(summary)

# %% [markdown]
# At a threshold of {glue:text}`threshold_last` the non-activated group takes
# {glue:text}`sweep_sentences_non_activated_last_pct:.1f` % of the neurons on sentences and
# all-shared falls to {glue:text}`sweep_sentences_all_shared_last_pct:.1f` %: the proportions
# are a matter of the threshold as much as of the model. Comparisons between inputs at one
# threshold are what the categories can support.
#
# ## Which neurons produce the answer?
#
# For the correct choice of every translation item in every language, at the prompt's last
# token, two attributions: the authors' **contribution score** $|a_i|\,\lVert W_\text{out}[:, i]
# \rVert$ (how large a vector neuron $i$ adds to the MLP output; $a$ is the input of the down
# projection, $W_\text{out}$ the down projection) and **activation × gradient**
# $|a_i \, \partial \log p(\text{answer}) / \partial a_i|$ (how much the answer's log-probability
# would change, to first order, if the neuron were removed). Per layer, the share of the top
# {glue:text}`top_k` neurons ({glue:text}`top_k_pct:.1f` % of a layer, as the authors' 800 of
# 16,384) in each category (solid), beside the category's share of all neurons (dotted):

# %%
chapter.plot_attribution(summary, "translation")

# %% [markdown]
# All-shared neurons are {glue:text}`base_translation_all_shared_pct:.1f` % of the neurons and
# {glue:text}`base_firing_translation_all_shared_pct:.1f` % of those that fire on a prompt (the
# fair base: attribution ranks firing neurons first, and many neurons do not fire at all), but
# {glue:text}`top_contribution_translation_all_shared_pct:.1f` % of the top contributors by the
# contribution score and {glue:text}`top_gradient_translation_all_shared_pct:.1f` % by
# activation × gradient; their mean score is {glue:text}`mean_contribution_translation_all_shared_ratio:.1f`
# times the mean of the other categories (contribution) and
# {glue:text}`mean_gradient_translation_all_shared_ratio:.1f` times (gradient). The categories
# rank {glue:text}`ranking_contribution_translation` by contribution and
# {glue:text}`ranking_gradient_translation` by gradient: {glue:text}`ranking_agree_translation`
# order. Neuron by neuron the two attributions agree less: their top-{glue:text}`top_k` sets
# overlap by a Jaccard index of {glue:text}`agreement_translation:.2f` on average (from
# {glue:text}`agreement_translation_min:.2f` to {glue:text}`agreement_translation_max:.2f`
# over layers). Non-activated neurons (gate ≤ 0) are not silent in a gated MLP: GELU is
# negative below 0, and a large "up" value makes the product large.
#
# ## The task: can the model do it?
#
# Accuracy per language with no intervention ({glue:text}`n_task_items_translation` items,
# {glue:text}`n_choices_translation` candidates each; 95 % bootstrap intervals over items;
# dotted: chance, {glue:text}`chance_translation:.2f`). The margin is the log-probability of the
# correct candidate minus that of the best wrong one.

# %%
chapter.plot_accuracy(summary)

# %%
chapter.accuracy_table(summary, "translation")

# %% [markdown]
# Mean accuracy {glue:text}`accuracy_translation:.3f`
# [{glue:text}`accuracy_translation_ci.low:.3f`, {glue:text}`accuracy_translation_ci.high:.3f`];
# {glue:text}`above_chance_translation` of {glue:text}`n_task_languages_translation` languages
# are above chance with their whole interval, and the lowest language accuracy is
# {glue:text}`worst_accuracy_translation:.3f`. The margins say how far each answer is from the
# decision boundary; the intervention table below gives them beside the accuracies.

# %% [markdown] tags=["default-run"]
# The task is easy for the model: its margins are tens of nats.

# %% [markdown]
# ## Deactivation
#
# For each item, the neurons of one category (as that item's versions define it) are set to 0
# at the `neurons` site, at every position of every version's prompt and candidates. Each
# category is compared with two kinds of random sets, {glue:text}`n_random_seeds` of each,
# holding for each item and layer as many neurons as the category: drawn from all other
# neurons, and **firing-matched**: drawn from the neurons that fire as often and as strongly
# (the same count from each joint quintile bin of firing rate and mean |activation| over the
# task's prompts). All-shared neurons fire on every input; most other neurons are quiet, so a
# set drawn from all of them removes little, and "all-shared" would win against it for firing
# alone. All per-item masks of a batch are applied in one forward pass.

# %%
chapter.plot_deactivation(summary)

# %% [markdown]
# ## Boosting all-shared neurons
#
# The paper does not say how it "increased" all-shared neurons. Here each item's all-shared
# neurons are multiplied by a factor at every position, and so are random sets matched per item
# and layer ({glue:text}`n_boost_random_seeds` per factor): a control the paper does not
# report. Factor 1 is no intervention.

# %%
chapter.plot_boost(summary)

# %% [markdown]
# Every intervention, with the mean accuracy over languages, its change, its random sets (both
# kinds) and the mean margin. Three controls for all-shared neurons: the all-shared set of a
# different item ("of another item": do an item's own categories matter?), the neurons that are
# all-shared for *every* item (one fixed set), and as many neurons per item and layer with the
# largest mean |activation| (no category at all). "All-shared minus this" is the accuracy with
# the item's own all-shared set zeroed minus that with the row's set zeroed:

# %%
chapter.intervention_table(summary, "translation")

# %% [markdown]
# ## At paper-lite size: FLORES and XCOPA
#
# The same analysis on the paper's kind of data, kept from a run of `--profile paper-lite` (the
# paper's sizes would take about 15 hours on two cores; see {doc}`/book/rerun`):
# {glue:text}`paper_lite_n_items_sentences` FLORES-200 sentences in
# {glue:text}`paper_lite_n_languages_sentences` languages; XCOPA, {glue:text}`paper_lite_n_task_items_xcopa`
# items in its {glue:text}`paper_lite_n_task_languages_xcopa` languages (premise, "because" or
# "therefore", two continuations, as harnesses score it); and translation choice from FLORES,
# {glue:text}`paper_lite_n_task_items_translation` items from
# {glue:text}`paper_lite_n_task_languages_translation` languages into English with
# {glue:text}`paper_lite_n_choices_translation` candidates. The kept run is from
# {glue:text}`paper_lite_date` (commit {glue:text}`paper_lite_commit`).
# {glue:text}`paper_lite_note` `book/paper_results/05_paper-lite.json` holds its summary and
# provenance.

# %% tags=["remove-cell"]
paper_lite = kit.glue_paper_results(chapter, "paper-lite")

# %%
chapter.plot_category_layers(paper_lite["summary"])

# %%
chapter.category_table(paper_lite["summary"])

# %% [markdown]
# The task changes the pattern far more than anything in the default quick run: all-shared neurons are
# {glue:text}`paper_lite_share_sentences_all_shared_pct:.1f` % on FLORES sentences,
# {glue:text}`paper_lite_share_translation_all_shared_pct:.1f` % on translation prompts and
# {glue:text}`paper_lite_share_xcopa_all_shared_pct:.1f` % on XCOPA prompts, whose eleven
# languages include several the model hardly knows; partial-shared neurons take
# {glue:text}`paper_lite_share_xcopa_partial_shared_pct:.1f` % there.
#
# Can the model do the tasks? Accuracy per language, no intervention (dotted: chance):

# %%
chapter.plot_accuracy(paper_lite["summary"])

# %% [markdown]
# On XCOPA the mean is {glue:text}`paper_lite_accuracy_xcopa:.3f`
# [{glue:text}`paper_lite_accuracy_xcopa_ci.low:.3f`, {glue:text}`paper_lite_accuracy_xcopa_ci.high:.3f`]
# against a chance level of {glue:text}`paper_lite_chance_xcopa:.2f`, and
# {glue:text}`paper_lite_above_chance_xcopa` of {glue:text}`paper_lite_n_task_languages_xcopa`
# languages are above chance with their whole interval: a 270M model cannot do this task, so
# what deactivating or boosting its neurons does to XCOPA accuracy is noise around chance. On
# FLORES translation choice the mean is {glue:text}`paper_lite_accuracy_translation:.3f`
# [{glue:text}`paper_lite_accuracy_translation_ci.low:.3f`, {glue:text}`paper_lite_accuracy_translation_ci.high:.3f`],
# with {glue:text}`paper_lite_above_chance_translation` of
# {glue:text}`paper_lite_n_task_languages_translation` languages above chance. Deactivation and
# boosting, both tasks:

# %%
chapter.plot_deactivation(paper_lite["summary"])

# %%
chapter.plot_boost(paper_lite["summary"])

# %%
chapter.intervention_table(paper_lite["summary"], "translation")

# %%
chapter.intervention_table(paper_lite["summary"], "xcopa")

# %% [markdown]
# On translation choice, zeroing each item's all-shared neurons changes accuracy by
# {glue:text}`paper_lite_delta_translation_zero_all_shared:+.3f`
# [{glue:text}`paper_lite_delta_translation_zero_all_shared_ci.low:+.3f`,
# {glue:text}`paper_lite_delta_translation_zero_all_shared_ci.high:+.3f`], which is
# {glue:text}`paper_lite_verdict_translation_zero_all_shared`
# ({glue:text}`paper_lite_vs_random_translation_zero_all_shared:+.3f`); partial-shared neurons,
# {glue:text}`paper_lite_changed_translation_zero_partial_shared:,.0f` per item against
# {glue:text}`paper_lite_changed_translation_zero_all_shared:,.0f` all-shared ones, cost
# {glue:text}`paper_lite_delta_translation_zero_partial_shared:+.3f`
# ({glue:text}`paper_lite_verdict_translation_zero_partial_shared`). Boosting all-shared
# neurons {glue:text}`paper_lite_boost_helps_translation`: its best factor,
# {glue:text}`paper_lite_best_boost_translation`, changes accuracy by
# {glue:text}`paper_lite_best_boost_delta_translation:+.3f`, and scaling by 3 costs
# {glue:text}`paper_lite_delta_translation_boost_3:+.3f`. On XCOPA, all-shared neurons are
# {glue:text}`paper_lite_top_contribution_xcopa_all_shared_pct:.1f` % of the top contributors
# while being {glue:text}`paper_lite_base_xcopa_all_shared_pct:.1f` % of the neurons, but no
# intervention moves accuracy off chance measurably (zeroing all-shared:
# {glue:text}`paper_lite_delta_xcopa_zero_all_shared:+.3f`,
# {glue:text}`paper_lite_verdict_xcopa_zero_all_shared`).

# %% [markdown]
# ## What we found here, and how it compares with the paper

# %% tags=["remove-input"]
kit.what_we_found(params, chapter.measured_points(summary))

# %% [markdown] tags=["default-run"]
# The quick profile measures {glue:text}`n_items_sentences` sentences of the bundled corpus and
# {glue:text}`n_task_items_translation` translation items; its intervals are wide, and its
# numbers are recomputed on every run. The paper-lite run (FLORES, XCOPA) is quoted beside them.
#
# - **(i) The task and the pattern; the items and the neurons.** Translation prompts have
#   {glue:text}`share_shift_translation_all_shared_pct:+.1f` points of all-shared and
#   {glue:text}`share_shift_translation_partial_shared_pct:+.1f` points of partial-shared neurons
#   than plain sentences (the ranges over items of all-shared shares
#   {glue:text}`ranges_text_translation_all_shared`). Yet only {glue:text}`stable_translation_pct:.1f` %
#   of the neurons keep their category across the translation items.
#   {glue:text}`claim_i_translation`. With the template controlled (the same languages, prompts
#   ending in the sentence) the shift is {glue:text}`share_shift_translation_ending_all_shared_pct:+.1f`
#   points, and the ranges {glue:text}`ranges_text_translation_ending_all_shared`. At paper-lite size
#   the task effect is larger: all-shared
#   {glue:text}`paper_lite_share_sentences_all_shared_pct:.1f` % (FLORES sentences),
#   {glue:text}`paper_lite_share_translation_all_shared_pct:.1f` % (translation),
#   {glue:text}`paper_lite_share_xcopa_all_shared_pct:.1f` % (XCOPA), a shift of
#   {glue:text}`paper_lite_share_shift_translation_all_shared_pct:+.1f` points for translation.
#   How much of it the prompt template makes (every translation prompt ends in the same tokens,
#   whatever its language): with the same languages and prompts ending in the sentence, the
#   paper-lite shift is {glue:text}`paper_lite_share_shift_translation_ending_all_shared_pct:+.1f`
#   points, and the ranges over items {glue:text}`paper_lite_ranges_text_translation_ending_all_shared`
#   ({glue:text}`paper_lite_claim_i_translation`). XCOPA's languages include ones the model
#   barely reads.
# - **(ii) All-shared neurons and correct answers.** They are
#   {glue:text}`top_contribution_translation_all_shared_pct:.1f` % of the top contributors
#   (contribution score) and {glue:text}`top_gradient_translation_all_shared_pct:.1f` %
#   (activation × gradient) while being {glue:text}`base_translation_all_shared_pct:.1f` % of
#   the neurons and {glue:text}`base_firing_translation_all_shared_pct:.1f` % of the neurons
#   that fire. Zeroing them changes accuracy by
#   {glue:text}`delta_translation_zero_all_shared:+.3f`
#   [{glue:text}`delta_translation_zero_all_shared_ci.low:+.3f`,
#   {glue:text}`delta_translation_zero_all_shared_ci.high:+.3f`], which is
#   {glue:text}`verdict_translation_zero_all_shared`
#   ({glue:text}`vs_random_translation_zero_all_shared:+.3f` against random sets of
#   {glue:text}`changed_translation_zero_all_shared:,.0f` neurons per item) and
#   {glue:text}`verdict_matched_translation_zero_all_shared`
#   ({glue:text}`vs_matched_translation_zero_all_shared:+.3f` against sets that fire as often
#   and as strongly); as many neurons of the largest mean |activation| change it by
#   {glue:text}`delta_translation_zero_as_many_top_a_neurons:+.3f`. Zeroing the
#   {glue:text}`changed_translation_zero_partial_shared:,.0f` partial-shared neurons changes it by
#   {glue:text}`delta_translation_zero_partial_shared:+.3f`, which is
#   {glue:text}`verdict_translation_zero_partial_shared`: their random sets, drawn outside the
#   category, take in all-shared neurons and do more damage
#   ({glue:text}`random_translation_zero_partial_shared:.3f`). Specific neurons are
#   {glue:text}`verdict_translation_zero_specific`. At paper-lite size on FLORES translation:
#   {glue:text}`paper_lite_top_contribution_translation_all_shared_pct:.1f` % of the top
#   contributors against {glue:text}`paper_lite_base_translation_all_shared_pct:.1f` % of the
#   neurons, and zeroing them costs {glue:text}`paper_lite_delta_translation_zero_all_shared:+.3f`,
#   {glue:text}`paper_lite_verdict_translation_zero_all_shared`
#   ({glue:text}`paper_lite_vs_random_translation_zero_all_shared:+.3f`) and
#   {glue:text}`paper_lite_verdict_matched_translation_zero_all_shared`. On XCOPA, which the
#   model cannot do, there is nothing to break. But is it the item's *own*
#   all-shared neurons? Zeroing the all-shared set of *another* item (a derangement of the
#   items) changes accuracy by {glue:text}`delta_translation_zero_all_shared_of_another_item:+.3f`
#   (paper-lite {glue:text}`paper_lite_delta_translation_zero_all_shared_of_another_item:+.3f`): the own
#   set minus the other item's is {glue:text}`own_minus_control_translation_zero_all_shared_of_another_item:+.3f`
#   [{glue:text}`own_minus_control_translation_zero_all_shared_of_another_item_ci.low:+.3f`,
#   {glue:text}`own_minus_control_translation_zero_all_shared_of_another_item_ci.high:+.3f`], so the own set
#   is {glue:text}`own_vs_control_translation_zero_all_shared_of_another_item` (paper-lite
#   {glue:text}`paper_lite_own_minus_control_translation_zero_all_shared_of_another_item:+.3f`,
#   {glue:text}`paper_lite_own_vs_control_translation_zero_all_shared_of_another_item`). A neuron that fires
#   in every language is a neuron that fires often, and large, frequent neurons matter to any
#   output (chapter 6 finds the same for its "different meaning" set).
# - **(iii) Boosting all-shared neurons.** Scaling them by
#   {glue:text}`best_boost_translation` (the best factor) changes accuracy by
#   {glue:text}`best_boost_delta_translation:+.3f`, {glue:text}`best_boost_verdict_translation`;
#   boosting {glue:text}`boost_helps_translation` here (it helps only if both its change and its
#   difference from the random sets are above 0). With a mean accuracy of
#   {glue:text}`accuracy_translation:.3f` there is little room to improve: the margins in the
#   table say more than the accuracies: at the best factor the mean margin is
#   {glue:text}`best_boost_margin_translation:+.1f` nats against
#   {glue:text}`margin_translation_none:+.1f` without boosting. At paper-lite size, where
#   FLORES translation leaves more room ({glue:text}`paper_lite_accuracy_translation:.3f`),
#   boosting {glue:text}`paper_lite_boost_helps_translation` at any factor (best
#   {glue:text}`paper_lite_best_boost_delta_translation:+.3f`; ×3:
#   {glue:text}`paper_lite_delta_translation_boost_3:+.3f`), and on XCOPA it
#   {glue:text}`paper_lite_boost_helps_xcopa`. The paper dropped this claim from its second
#   version; for this model it does not hold.
# - **Why this model may differ.** Gemma-3-270M has 18 layers of 2,048 neurons and a gated
#   MLP, BLOOMZ-7b1-mt 30 of 16,384 with GELU; the paper's inputs were XNLI prompts in 10
#   languages (a task BLOOMZ was fine-tuned on), ours short sentences, a translation task the
#   model does well and XCOPA, which it does at chance. The `paper` profile runs FLORES
#   sentences, XCOPA and translation choice at the paper's sizes (about 15 hours here).

# %% [markdown]
# ## Exercises
#
# :::{exercise}
# :label: ex05-site
#
# Re-run with `-p CATEGORY_SITE '"neurons"'`. How do the shares change when "active" means
# $\mathrm{act}(g)\,u > 0$? Why do almost no neurons stay non-activated?
# :::
#
# :::{solution} ex05-site
# :class: dropdown
#
# A parameter change; the share of each category at both sites:
#
# ```python
# for site in ["gate", "neurons"]:
#     other = chapter.summarise(chapter.analyse(model, params.replace(CATEGORY_SITE=site)))
#     print(f"{site:7s} all-shared {other['share_sentences_all_shared_pct']:.1f} %, "
#           f"non-activated {other['share_sentences_non_activated_pct']:.1f} %")
# ```
# :::
#
# :::{exercise}
# :label: ex05-non-activated
#
# Add `non-activated` to `DEACTIVATE`. Zeroing neurons whose gate is negative: does it
# matter, and as much as the random control says it should?
# :::
#
# :::{exercise}
# :label: ex05-magnitude
#
# Compare the all-shared set of an item with chapter 6's magnitude control (the top neurons
# by mean |activation|): how much do they overlap? Zero the neurons that are all-shared for
# *every* item (`results.tasks["translation"].categories.codes`) with `nu.Intervention`:
# how much of the all-shared effect do they carry?
# :::
#
# :::{exercise}
# :label: ex05-choices
#
# Re-run with `-p CHOICES 4`: a harder task with a lower chance level. Does boosting help
# when there is more room to improve?
# :::
#
# :::{solution} ex05-choices
# :class: dropdown
#
# A parameter change; accuracy without intervention and the change under each boost:
#
# ```python
# harder = chapter.summarise(chapter.analyse(model, params.replace(CHOICES=4)))
# print("accuracy", round(harder["accuracy_translation_none"], 2), "chance 0.25")
# for factor in params.BOOST_FACTORS:
#     boost = chapter.boost_key(factor)
#     delta = harder[chapter.condition_key("delta", "translation", boost)]
#     ci = harder[chapter.condition_key("delta", "translation", boost, "ci")]
#     print(f"{boost}: {delta:+.3f} {ci.text('+.3f')}")
# ```
# :::
#
# :::{exercise}
# :label: ex05-xcopa
#
# With the data mirror, run `--profile paper-lite`: XCOPA, on which a 270M model is close to
# chance. What do attribution and deactivation mean for a task the model cannot do?
# :::
#
# ## References
#
# Wang et al. {cite:p}`wang2024sharing` and their released notebooks {cite:p}`wang2024code`;
# Ponti et al. {cite:p}`ponti2020xcopa`; NLLB Team
# {cite:p}`nllb2022`. Full entries: {doc}`/book/references`.

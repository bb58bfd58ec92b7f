"""Chapter 5: neurons shared by all, some or one language (Wang et al., "Sharing Matters").

For one item given in ``L`` languages, a neuron is all-shared, partial-shared, specific or
non-activated by the number of languages in which it fires at the input's last token
(:mod:`neuron_utils.methods.sharing`). This chapter measures those categories on plain
multi-parallel sentences and on the prompts of multilingual choice tasks
(:mod:`neuron_utils.data.tasks`), attributes the correct answer to neurons (the authors'
contribution score and activation x gradient), and intervenes per item: it zeroes each
category's neurons and scales ("boosts") the all-shared ones, each against random neurons
matched per item and layer, with one forward per batch (per-text masks).

:func:`analyse` runs everything for the chapter's parameters (:mod:`.parameters`,
:mod:`.analysis`); :func:`summarise` gives every number the chapter quotes, declared in
:data:`SUMMARY` (:mod:`.summary`, its keys named by :mod:`.keys`); :mod:`.prose`,
:mod:`.tables` and :mod:`.figures` show them; :mod:`.claims` judges the paper's claims on them.
"""

from ...kit.spec import ChapterSpec
from ...methods.sharing import CATEGORY_SLUGS
from .analysis import ATTRIBUTIONS, CategoryStats, Results, TaskResults, analyse, conditions_for
from .claims import CLAIMS
from .figures import (
    plot_accuracy,
    plot_attribution,
    plot_boost,
    plot_category_layers,
    plot_deactivation,
    plot_threshold_sweep,
)
from .keys import ALWAYS_SHARED, MAGNITUDE, OTHER_ITEM, boost_key, condition_key, deactivation_key
from .parameters import Parameters
from .prose import measured_points
from .summary import SUMMARY, summarise
from .tables import accuracy_table, category_table, intervention_table

# the harness's settings for this chapter (smoke and golden sizes, figures, cost)
SPEC = ChapterSpec(
    tiny={
        "LANGUAGES": ["en", "ja", "fr", "zh"],
        "N_SENTENCES": 8,
        "N_TASK_ITEMS": 4,
        "THRESHOLDS": [0.0, 0.5],
        "BOOST_FACTORS": [2.0],
        "N_RANDOM_SEEDS": 1,
        "N_BOOTSTRAP": 200,
    },
    golden={
        "N_SENTENCES": 12,
        "N_TASK_ITEMS": 6,
        "TOP_K": 5,
        "BOOST_FACTORS": [2.0],
        "N_RANDOM_SEEDS": 2,
        "N_BOOTSTRAP": 200,
    },
    figures=10,
    quick_cold_s={"bfloat16": 181, "float32": 293},
)

__all__ = [
    "ALWAYS_SHARED",
    "ATTRIBUTIONS",
    "CATEGORY_SLUGS",
    "CLAIMS",
    "CategoryStats",
    "MAGNITUDE",
    "OTHER_ITEM",
    "Parameters",
    "Results",
    "SPEC",
    "SUMMARY",
    "TaskResults",
    "accuracy_table",
    "analyse",
    "boost_key",
    "category_table",
    "condition_key",
    "conditions_for",
    "deactivation_key",
    "intervention_table",
    "measured_points",
    "plot_accuracy",
    "plot_attribution",
    "plot_boost",
    "plot_category_layers",
    "plot_deactivation",
    "plot_threshold_sweep",
    "summarise",
]

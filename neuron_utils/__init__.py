"""neuron_utils: the shared code behind the *Multilingual neurons* book.

Layout (each layer uses only the ones below it)::

    book/      the pipeline: registry (_toc.yml's chapters), runner, CLI, contract, scaffold, site
    chapters/  one folder per chapter: parameters, analysis, summary, prose, figures, claims,
               its notebook and its golden numbers
    kit/       what a chapter uses: parameters base, spec, typed summaries, claims, glue, plotting
    methods/   model-free statistics on arrays: AP, logistic regression, similarity, probes, LAPE
    data/      manifest + checked fetch, parallel corpora and pairs, minimal pairs and their generator
    core/      architectures, model loading, batched extraction, interventions, LM scoring, NeuronSet

The most used names are here: ``nu.load_model()``, ``nu.collect(model, texts)``,
``nu.Intervention``, ``nu.NeuronSet``. Every name, and every sub-package (``nu.kit``,
``nu.book``), is imported when first used (:mod:`neuron_utils.core.lazy`), so a chapter's run
depends on the modules it uses, not on the whole package. The README in this folder says more.
"""

import warnings

# tqdm.auto (imported by transformers) warns in kernels without ipywidgets; the book uses plain bars.
warnings.filterwarnings("ignore", message="IProgress not found")

from .core.lazy import lazy_exports

# attribute -> the submodule that defines it
_LAZY = {
    "ANATOMIES": "core.anatomy",
    "DEFAULT_MODEL": "core.models",
    "SITES": "core.anatomy",
    "Anatomy": "core.anatomy",
    "Intervention": "core.interventions",
    "LoadedModel": "core.models",
    "NeuronSet": "core.neurons",
    "PerTextIntervention": "core.interventions",
    "ResidualAddition": "core.interventions",
    "anatomy_for": "core.anatomy",
    "collect": "core.activations",
    "intervene": "core.interventions",
    "load_model": "core.models",
    "wrap_model": "core.models",
}
__getattr__, __dir__ = lazy_exports(__name__, _LAZY)
__all__ = sorted(_LAZY)
__version__ = "0.1.0"

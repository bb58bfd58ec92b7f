"""neuron_utils: the shared code behind the *Multilingual neurons* book.

Layout (a layer uses the ones below it; chapters also use book.parameters and book.plotting,
and the runner finds chapter modules by number)::

    book/      run chapters (jupytext -> papermill), parameters and profiles, provenance, plots, CLI
    chapters/  one module per chapter: parameters, analysis steps, figures, summarise()
    methods/   model-free statistics on arrays: AP, logistic regression, similarity, probes, LAPE
    data/      manifest + checked fetch, parallel corpora and pairs, minimal pairs and their generator
    core/      architectures, model loading, batched extraction, interventions, LM scoring, NeuronSet

The most used names are here: ``nu.load_model()``, ``nu.collect(model, texts)``,
``nu.Intervention``, ``nu.NeuronSet``. The README in this folder says more.
"""

import warnings

# tqdm.auto (imported by transformers) warns in kernels without ipywidgets; the book uses plain bars.
warnings.filterwarnings("ignore", message="IProgress not found")

from . import book, chapters, core, data, kit, methods
from .core import (
    ANATOMIES,
    DEFAULT_MODEL,
    SITES,
    Anatomy,
    Intervention,
    LoadedModel,
    NeuronSet,
    PerTextIntervention,
    ResidualAddition,
    anatomy_for,
    collect,
    intervene,
    load_model,
    wrap_model,
)

__version__ = "0.1.0"

"""A new chapter from the template: ``python -m neuron_utils new-chapter 08 my_topic "Title"``
(``make new-chapter N=08 NAME=my_topic``).

It writes the chapter's three files (:mod:`.contract`): the notebook, the module and a line in
``_toc.yml``. The template measures something small and real (the norm of the residual
stream's last-token state per layer on a few bundled sentences), so that the chapter runs,
draws its figure, records its summary and passes the suite before its own analysis is written;
replace the analysis, the summary, the figure and the prose.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..core.paths import PROJECT_ROOT

MODULE = '''"""Chapter {number}: {title}.

Made by ``make new-chapter``: the template measures the norm of the residual stream's
last-token state per layer on a few bundled sentences. Replace :func:`analyse`,
:func:`summarise`, :func:`plot_norms` and the notebook's prose with the chapter's own.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np

from .. import data
from ..book import plotting
from ..book.parameters import ChapterParameters, check_choice, check_int
from ..core.activations import collect
from ..core.models import LoadedModel


@dataclass(frozen=True)
class Parameters(ChapterParameters):
    """Chapter {number}'s parameters (defaults: the ``quick`` profile)."""

    LANGUAGE: str = "en"  # a language of the bundled corpus
    N_SENTENCES: int = 20

    CHAPTER: ClassVar[str] = "{number}"
    TINY: ClassVar[dict[str, Any]] = {{"N_SENTENCES": 4}}
    GOLDEN: ClassVar[dict[str, Any] | None] = {{"N_SENTENCES": 6}}
    FIGURES: ClassVar[int] = 1

    def check(self) -> None:  # values alone: building parameters reads no data
        check_choice("LANGUAGE", self.LANGUAGE, data.available_languages("bundled"))
        check_int("N_SENTENCES", self.N_SENTENCES, 2)

    def check_data(self) -> None:  # against the data (run by validate())
        check_int("N_SENTENCES", self.N_SENTENCES, 2, len(data.texts("bundled", self.LANGUAGE)))


@dataclass
class Results:
    parameters: Parameters
    norms: np.ndarray  # [sentences, layers]: L2 norm of the last token's residual stream


def analyse(model: LoadedModel, p: Parameters) -> Results:
    """The residual stream's last-token norm of the first ``N_SENTENCES`` sentences."""
    texts = data.texts("bundled", p.LANGUAGE)[: p.N_SENTENCES]
    states = collect(model, texts, sites=["residual"], batch_size=p.BATCH_SIZE)["residual"]
    return Results(p, np.linalg.norm(states, axis=-1))


def summarise(results: Results) -> dict[str, Any]:
    """Every number the chapter quotes, and the data of its figure."""
    mean = results.norms.mean(0)
    return {{
        "n_sentences": len(results.norms),
        "norm_first_layer": float(mean[0]),
        "norm_last_layer": float(mean[-1]),
        "largest_layer": int(mean.argmax()),
        "norm_per_layer": mean.tolist(),
        "units": {{
            "norm_*": "L2 norm of the residual stream (model units)",
            "largest_layer": "layer index, from 0",
            "n_sentences": "count",
        }},
    }}


def plot_norms(results: Results) -> None:
    """Mean norm per layer, with the spread over sentences."""
    fig, ax = plotting.single()
    norms = results.norms
    layers = np.arange(norms.shape[1])
    ax.plot(layers, norms.mean(0), color=plotting.color(0))
    ax.fill_between(layers, norms.min(0), norms.max(0), color=plotting.color(0), alpha=0.2)
    plotting.layer_axis(ax, norms.shape[1])
    ax.set_ylabel("norm of the last token's state")
'''

NOTEBOOK = """# ---
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
# # {title}
#
# **Question.** (What this chapter asks, and which paper's claim it reproduces.)
#
# The template below measures how large the residual stream's last-token state is at each
# layer, on a few sentences of the bundled corpus; replace it with the chapter's analysis.

# %% tags=["parameters"]
PROFILE = "quick"
MODEL = "gemma-3-270m"
DTYPE = "auto"
DEVICE = "auto"
LANGUAGE = "en"  # a language of the bundled corpus
N_SENTENCES = 20
SEED = 0
BATCH_SIZE = 32

# %%
import neuron_utils as nu
from neuron_utils.chapters import ch{number}_{name} as chapter

# checked here: a bad value fails before the model loads
params = nu.book.start_chapter("{number}", globals())

# %%
model = nu.load_model(MODEL, dtype=DTYPE, device=DEVICE)
results = chapter.analyse(model, params)

# %% tags=["hide-output"]
nu.book.show_provenance(model, params)

# %% tags=["remove-cell"]
summary = chapter.summarise(results)
nu.book.glue_all(summary)
nu.book.record_results("{number}", params, model.describe(), summary)

# %% [markdown]
# ## The norm per layer

# %%
chapter.plot_norms(results)

# %% [markdown]
# ## What we found here

# %% tags=["remove-input"]
nu.book.what_we_found(params)

# %% [markdown]
# Over {{glue:text}}`n_sentences` sentences, the mean norm is {{glue:text}}`norm_first_layer:.1f`
# after the first layer and {{glue:text}}`norm_last_layer:.1f` after the last; it is largest at
# layer {{glue:text}}`largest_layer`.

# %% [markdown]
# ## Exercises
#
# :::{{exercise}}
# :label: ex{number}-language
#
# Re-run with `-p LANGUAGE '"ja"'`. Does the layer with the largest norm move?
# :::
#
# ## References
#
# This template cites nothing yet. Full entries: {{doc}}`/book/references`.
"""


def new_chapter(number: str, name: str, title: str, root: Path = PROJECT_ROOT) -> list[Path]:
    """Write chapter ``number``'s notebook and module from the template and list it in
    ``_toc.yml`` (after the last chapter); returns the files written or changed. Refuses a
    number or a name already taken, and names that are not ``[a-z][a-z0-9_]*``."""
    if not re.fullmatch(r"\d\d", number):
        raise ValueError(f"the chapter number must be two digits, got {number!r}")
    if not re.fullmatch(r"[a-z][a-z0-9_]*", name):
        raise ValueError(f"the name must be lower-case letters, digits and _, got {name!r}")
    if not title.strip():
        raise ValueError("the chapter needs a title")
    stem = f"{number}_{name}"
    notebook = root / "notebooks" / f"{stem}.py"
    module = root / "neuron_utils" / "chapters" / f"ch{stem}.py"
    taken = sorted(p.name for p in (root / "notebooks").glob(f"{number}_*.py"))
    if taken:
        raise ValueError(f"chapter {number} exists already: notebooks/{taken[0]}")
    toc_path = root / "_toc.yml"
    toc = toc_path.read_text(encoding="utf-8")
    listed = re.findall(r"^( *- file: book/chapters/\d\d_\w+)$", toc, flags=re.M)
    if not listed:
        raise ValueError("_toc.yml lists no chapter to put the new one after")
    indent = listed[-1].split("- file:")[0]
    toc = toc.replace(listed[-1], f"{listed[-1]}\n{indent}- file: book/chapters/{stem}", 1)
    notebook.write_text(NOTEBOOK.format(number=number, name=name, title=title), encoding="utf-8")
    module.write_text(MODULE.format(number=number, title=title), encoding="utf-8")
    toc_path.write_text(toc, encoding="utf-8")
    return [notebook, module, toc_path]

"""Golden numbers: every chapter's ``analyse()`` + ``summarise()`` on a tiny model, compared with
the ``golden.json`` in its folder, so that a change that moves any number of a chapter fails loudly.

The model is a tiny random Gemma-3 in float64 whose word-level vocabulary covers the bundled
corpus and the generated minimal pairs (every sentence is distinct, as with the real model).
Regenerate the files, after checking that a change of numbers is intended, with
``NEURON_UTILS_GOLDEN=regenerate .venv/bin/python -m pytest tests/chapters/test_golden.py``.
"""

from __future__ import annotations

import json
import math
import os

import pytest
import torch

from neuron_utils import book
from neuron_utils.book import registry
from neuron_utils.kit.summary import encode

from ..helpers import book_texts, tiny_model_with_vocabulary

# each chapter's golden sizes, declared on its spec (``golden``; None: nothing measured)
GOLDEN_PARAMETERS = {
    chapter: book.chapter_module(chapter).SPEC.golden
    for chapter in book.chapters()
    if book.chapter_module(chapter).SPEC.golden is not None
}
# Activations come from a float64 forward, rounded to float32 when pooled: identical on every CPU
# (float64 rounding differences are far below a float32 ulp). What follows runs in float32/float64
# (probes, AP, logistic regression) and may differ across CPUs by ~1e-7 relative: 1e-5 covers it.
# Counts, ranks and layer indices are compared exactly.
RTOL, ATOL = 1e-5, 1e-9


@pytest.fixture(scope="module")
def golden_model():
    return tiny_model_with_vocabulary(book_texts(), dtype=torch.float64)


def test_every_chapter_has_golden_parameters():
    # the findings page (registry.findings()) measures nothing: its rules are checked on
    # hand-made summaries in test_ch07.py
    measuring = {c for c in book.chapters() if book.chapter_module(c).SPEC.keeps_results}
    assert set(GOLDEN_PARAMETERS) == measuring


@pytest.mark.parametrize("chapter", sorted(GOLDEN_PARAMETERS))
def test_summary_equals_the_golden_numbers(chapter, golden_model):
    module = book.chapter_module(chapter)
    parameters = module.Parameters.resolve("quick", GOLDEN_PARAMETERS[chapter])
    typed = module.summarise(module.analyse(golden_model, parameters))
    # every entry as its chapter declares it (kind and unit), then as JSON holds it
    assert module.SUMMARY.problems(typed) == []
    summary = json.loads(json.dumps(encode(typed)))
    path = registry.golden_path(chapter)
    if os.environ.get("NEURON_UTILS_GOLDEN") == "regenerate":
        path.parent.mkdir(exist_ok=True)
        path.write_text(json.dumps(summary, indent=1, ensure_ascii=False) + "\n")
    expected = json.loads(path.read_text())
    differences = list(_compare(summary, expected, "summary"))
    assert not differences, f"chapter {chapter}: {len(differences)} numbers moved:\n" + "\n".join(
        differences[:20]
    )


def _compare(got, expected, where: str):
    if isinstance(expected, dict):
        if not isinstance(got, dict) or set(got) != set(expected):
            yield f"{where}: keys {sorted(got) if isinstance(got, dict) else got!r} != {sorted(expected)}"
            return
        for key in expected:
            yield from _compare(got[key], expected[key], f"{where}[{key!r}]")
    elif isinstance(expected, list):
        if not isinstance(got, list) or len(got) != len(expected):
            yield f"{where}: {got!r} != {expected!r}"
            return
        for k, (a, b) in enumerate(zip(got, expected, strict=True)):
            yield from _compare(a, b, f"{where}[{k}]")
    elif isinstance(expected, float) or isinstance(got, float):
        both_nan = (
            isinstance(got, float)
            and isinstance(expected, float)
            and math.isnan(got)
            and math.isnan(expected)
        )
        if not both_nan and not (
            isinstance(got, (int, float))
            and math.isclose(got, expected, rel_tol=RTOL, abs_tol=ATOL)
        ):
            yield f"{where}: {got!r} != {expected!r}"
    elif got != expected:
        yield f"{where}: {got!r} != {expected!r}"

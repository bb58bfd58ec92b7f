"""Where the project keeps its files: repository data, downloads and caches."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]  # neuron_utils/core/paths.py -> the repository
DATA_DIR = PROJECT_ROOT / "data"


def cache_dir() -> Path:
    """Root of the model and activation caches (``NEURON_UTILS_CACHE``, default ``~/.cache/neuron_utils``)."""
    setting = os.environ.get("NEURON_UTILS_CACHE")
    if setting is not None and not setting.strip():  # Path("") is the working folder
        raise ValueError(
            "NEURON_UTILS_CACHE is set but empty: unset it (the cache is then "
            "~/.cache/neuron_utils) or name a folder"
        )
    return Path(setting) if setting else Path.home() / ".cache" / "neuron_utils"


def downloads_dir() -> Path:
    """Where downloaded data sets are kept (``NEURON_UTILS_DOWNLOADS``, default ``data/downloads``)."""
    return Path(os.environ.get("NEURON_UTILS_DOWNLOADS", DATA_DIR / "downloads"))


def model_cache_dir() -> Path:
    """Converted models (``NEURON_UTILS_MODEL_CACHE``, default ``<cache_dir>/models``)."""
    return Path(os.environ.get("NEURON_UTILS_MODEL_CACHE", cache_dir() / "models"))


def results_dir() -> Path:
    """Chapters' recorded results (``NEURON_UTILS_RESULTS``, default ``book/results``)."""
    return Path(os.environ.get("NEURON_UTILS_RESULTS", PROJECT_ROOT / "book" / "results"))


def paper_results_dir() -> Path:
    """Kept paper-size results, committed (``NEURON_UTILS_PAPER_RESULTS``, default
    ``book/paper_results``)."""
    return Path(
        os.environ.get("NEURON_UTILS_PAPER_RESULTS", PROJECT_ROOT / "book" / "paper_results")
    )

"""The provenance table every chapter shows (model, data, parameters, versions, machine, commit)."""

from __future__ import annotations

import os
import platform
import subprocess
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from ..core.paths import PROJECT_ROOT

PACKAGES = (
    "torch",
    "transformers",
    "nnsight",
    "numpy",
    "scikit-learn",
    "jupyter-book",
    "papermill",
)


# Outputs that a run writes into the tree: changing them does not change what a run computes,
# so they do not make it dirty (a multi-chapter paper-size run keeps chapter 1's results before
# chapter 2 starts)
OUTPUTS = ("book/paper_results",)


def git_commit(root: Path | None = None) -> str:
    """Current commit of the project (or of the repository in ``root``), with ``+dirty`` for
    uncommitted changes to anything but the kept results (:data:`OUTPUTS`), or ``unknown``."""
    try:
        run = lambda *args: subprocess.run(  # noqa: E731
            ["git", *args],
            cwd=root or PROJECT_ROOT,
            capture_output=True,
            text=True,
            check=True,
            timeout=10,
        ).stdout.strip()
        commit = run("rev-parse", "--short=12", "HEAD")
        outside = [f":(exclude){path}" for path in OUTPUTS]
        changed = run("status", "--porcelain", "--untracked-files=no", "--", ".", *outside)
        return commit + ("+dirty" if changed else "")
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def versions() -> dict[str, str]:
    found = {"python": platform.python_version()}
    for package in PACKAGES:
        try:
            found[package] = version(package)
        except PackageNotFoundError:
            found[package] = "not installed"
    return found


def machine() -> dict[str, str]:
    """What decides this machine's float rounding and speed: CPU, threads, kernels, bf16 support."""
    import torch

    from ..core.models import BF16_FLAGS, auto_dtype_reason, cpu_flags, cpu_info

    flags = cpu_flags()
    omp = os.environ.get("OMP_NUM_THREADS")
    return {
        "cpu": cpu_info("model name") or platform.processor() or platform.machine(),
        "cores available": str(
            len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
        ),
        "torch threads": f"{torch.get_num_threads()}"
        + (f" (OMP_NUM_THREADS={omp})" if omp else ""),
        "torch CPU kernels": torch.backends.cpu.get_cpu_capability(),
        "native bf16": ", ".join(f for f in BF16_FLAGS if f in flags) or "no",
        # the bf16 or the float32 path, and why
        "dtype auto": auto_dtype_reason(),
    }


def machine_report() -> dict[str, str]:
    """The torch version and :func:`machine`: what ``python -m neuron_utils machine`` prints."""
    return {"torch": versions()["torch"], **machine()}


def machine_line() -> str:
    """:func:`machine_report` on one line, for logs."""
    return "; ".join(f"{k}: {v}" for k, v in machine_report().items())


_SHOWN_ABOVE = ("dataset", "upstream", "license", "files")  # a data entry's row and sha256 rows


def provenance_table(model: dict[str, Any], data: list[dict[str, Any]], parameters: dict[str, Any]):
    """The provenance of a chapter run as a two-column table (a ``pandas.DataFrame``): model, data
    (upstream, license, sha256 of each file), parameters, package versions, machine, commit."""
    import pandas as pd

    rows = [(f"model {k}", str(v)) for k, v in model.items()]
    for entry in data:
        rows.append(
            ("data", f"{entry['dataset']} ({entry.get('upstream', 'bundled')}; {entry['license']})")
        )
        rows += [(f"sha256 {name}", f"{sha[:16]}…") for name, sha in entry.get("files", {}).items()]
        # any further field (an own table's rows and columns, a hub dataset's revision ...)
        rows += [(f"data {k}", str(v)) for k, v in entry.items() if k not in _SHOWN_ABOVE]
    rows += [(f"parameter {k}", repr(v)) for k, v in parameters.items()]
    rows += [(f"version {k}", v) for k, v in versions().items()]
    rows += [(f"machine: {k}", v) for k, v in machine().items()]
    rows.append(("git commit", git_commit()))
    table = pd.DataFrame(rows, columns=["provenance", "value"]).set_index("provenance")
    table.index.name = None
    return table

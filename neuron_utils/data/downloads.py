"""The manifest of real data sets and the checked fetch.

Real data sets are never committed: ``data/manifest.json`` names each file by its upstream
URL at a pinned commit and its sha256. :func:`fetch` copies a file from the mirror folder
``NEURON_UTILS_DATA_MIRROR`` (same layout as upstream) or downloads it, checks the
checksum and only then moves it into place, so a failed or corrupted transfer leaves
nothing behind.
"""

from __future__ import annotations

import json
import os
import shutil
import urllib.error
import urllib.request
from functools import lru_cache
from pathlib import Path

from ..core.paths import DATA_DIR, downloads_dir
from ..core.storage import atomic_path, sha256_file

MANIFEST = DATA_DIR / "manifest.json"


class DataError(RuntimeError):
    """A data set could not be fetched or failed its checksum."""


@lru_cache(maxsize=1)
def manifest() -> dict:
    return json.loads(MANIFEST.read_text(encoding="utf-8"))


def file_url(dataset: str, relpath: str) -> str:
    entry = manifest()["datasets"][dataset]
    # files named from the repository root have an empty upstream_dir
    path = "/".join(part for part in (entry["upstream_dir"], relpath) if part)
    return manifest()["url_pattern"].format(path=path, **entry)


def expected_sha256(dataset: str, relpath: str) -> str:
    datasets = manifest()["datasets"]
    if dataset not in datasets:
        raise DataError(f"unknown data set {dataset!r}; the manifest has: {', '.join(datasets)}")
    files = datasets[dataset]["files"]
    if relpath not in files:
        raise DataError(f"{dataset} has no file {relpath!r} in the manifest")
    return files[relpath]


def fetch(dataset: str, relpath: str) -> Path:
    """Local path of a manifest file: cached, copied from the mirror, or downloaded; verified."""
    sha = expected_sha256(dataset, relpath)
    target = downloads_dir() / dataset / relpath
    if target.exists() and sha256_file(target) == sha:
        return target
    mirror = os.environ.get("NEURON_UTILS_DATA_MIRROR")
    with atomic_path(target) as tmp:
        if mirror:
            source = Path(mirror) / dataset / relpath
            if not source.exists():
                raise DataError(
                    f"{source} is missing from the mirror NEURON_UTILS_DATA_MIRROR={mirror}"
                )
            shutil.copyfile(source, tmp)
            origin = str(source)
        else:
            origin = file_url(dataset, relpath)
            _download(origin, tmp)
        got = sha256_file(tmp)
        if got != sha:
            raise DataError(
                f"checksum mismatch for {dataset}/{relpath} from {origin}: expected sha256 {sha}, got {got}; "
                "the file was not saved"
            )
    return target


def download_timeout() -> float:
    """Seconds a download may wait for the server's next bytes before it is given up
    (``NEURON_UTILS_DOWNLOAD_TIMEOUT``, default 30)."""
    return float(os.environ.get("NEURON_UTILS_DOWNLOAD_TIMEOUT", 30))


def _download(url: str, dest: Path) -> None:
    try:
        with (
            urllib.request.urlopen(url, timeout=download_timeout()) as response,
            open(dest, "wb") as fh,
        ):
            shutil.copyfileobj(response, fh)
    except (urllib.error.URLError, OSError) as err:  # a stalled server raises TimeoutError
        stalled = any(isinstance(e, TimeoutError) for e in (err, getattr(err, "reason", None)))
        reason = (
            "timed out (no bytes for NEURON_UTILS_DOWNLOAD_TIMEOUT seconds)" if stalled else err
        )
        raise DataError(
            f"could not download {url}: {reason}. Without network, point NEURON_UTILS_DATA_MIRROR "
            "at a folder with the upstream layout (e.g. ../shared/data), or use the 'bundled' data source."
        ) from err


def dataset_provenance(dataset: str, relpaths: list[str]) -> dict:
    """What a chapter prints about a real data set: upstream, commit, license, checksums."""
    entry = manifest()["datasets"][dataset]
    return {
        "dataset": entry["title"],
        "upstream": f"{entry['repo']} @ {entry['commit']}",
        "license": entry["license"],
        "files": {p: entry["files"][p] for p in relpaths},
    }


def read_jsonl(path: Path) -> list[dict]:
    """One JSON object per non-empty line."""
    return [
        json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
    ]

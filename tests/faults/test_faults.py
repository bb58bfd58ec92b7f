"""Fault injection: every cache recovers, every run leaves nothing half-written, every user
error is one clear line.

Each test does its fault for real: it damages a file on disk, kills a process midway, takes
the network away, stalls a server or gives the command line bad input, then checks how it
ended (recovered, or failed with its one- or two-line message) and that no temporary file is
left behind. ``FAULTS`` lists them, for the count in the closing notes.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import zipfile
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import numpy as np
import pytest

from neuron_utils.book import cli, registry, runner
from neuron_utils.chapters import ch01_cross_lingual_similarity as ch01
from neuron_utils.core import cache, models, storage
from neuron_utils.core.activations import collect, token_statistics
from neuron_utils.core.lm_scoring import mean_logprobs
from neuron_utils.data import DataError, downloads

from ..helpers import SENTENCES, tiny_model

pytestmark = pytest.mark.faults
ROOT = Path(__file__).resolve().parents[2]


def parts_under(folder: Path) -> list[Path]:
    """Temporary files or folders (``.<name>.<pid>-<random>.part...``) anywhere under ``folder``."""
    return sorted(Path(folder).rglob(".*.part*"))


def umask_mode(directory: bool = False) -> int:
    mask = os.umask(0)
    os.umask(mask)
    return (0o777 if directory else 0o666) & ~mask


def dead_pid() -> int:
    """The id of a process that has exited (and been reaped)."""
    proc = subprocess.Popen(["true"])
    proc.wait()
    return proc.pid


# --------------------------------------------------------------------------- cache files


def _cv(tiny):
    from neuron_utils.methods.pair_similarity import cached_cv_accuracy
    from neuron_utils.data.parallel import PairSet

    rng = np.random.default_rng(0)
    h1, h2 = rng.normal(size=(2, 8, 3, 4)).astype(np.float32)
    pairs = np.array([[i, i] for i in range(8)] + [[i, (i + 1) % 8] for i in range(8)])
    ps = PairSet("en", "fr", "shuffled", "test", ["x"] * 8, ["y"] * 8, pairs, np.repeat([1, 0], 8))
    return {"value": cached_cv_accuracy(h1, h2, ps, "concat", folds=2, seed=0)}


CACHE_KINDS = {  # kind -> the call that fills and reads it (on a tiny model)
    "activations": lambda tiny: collect(tiny, SENTENCES, sites=["residual", "neurons"]),
    "statistics": lambda tiny: token_statistics(tiny, SENTENCES, site="gate"),
    "scores": lambda tiny: mean_logprobs(tiny, SENTENCES, {"": []}),
    "analysis": _cv,
}


def _rewrite(path: Path, change) -> None:
    arrays = storage.load_arrays(path)
    np.savez(path, **change(arrays))


def _flip_a_data_byte(path: Path) -> None:
    """Flip one byte inside the largest array's data (caught by the zip CRC-32, not the header)."""
    arrays = storage.load_arrays(path)
    largest = max(arrays.values(), key=lambda a: a.nbytes).tobytes()
    blob = bytearray(path.read_bytes())
    at = blob.find(largest) + len(largest) // 2
    blob[at] ^= 0xFF
    path.write_bytes(bytes(blob))


CORRUPTIONS = {
    "truncated": lambda p: p.write_bytes(p.read_bytes()[: p.stat().st_size // 2]),
    "garbage": lambda p: p.write_bytes(np.random.default_rng(0).bytes(p.stat().st_size)),
    "flipped byte": _flip_a_data_byte,
    "pickled object": lambda p: np.savez(p, value=np.array([{"a": 1}], dtype=object)),
    "extra array": lambda p: _rewrite(p, lambda a: {**a, "extra": np.zeros(2)}),
    "wrong dtype": lambda p: _rewrite(
        p, lambda a: {k: v.astype(np.float16) if v.dtype.kind in "fi" else v for k, v in a.items()}
    ),
}


@pytest.mark.parametrize("corruption", CORRUPTIONS)
@pytest.mark.parametrize("kind", CACHE_KINDS)
def test_a_damaged_cache_file_is_reported_once_removed_and_recomputed(
    kind, corruption, tmp_path, monkeypatch, capsys
):
    monkeypatch.setenv("NEURON_UTILS_CACHE", str(tmp_path))
    tiny = tiny_model("llama")
    fresh = CACHE_KINDS[kind](tiny)
    files = sorted((tmp_path / kind).rglob("*.npz"))  # activations: a file per site
    assert files, f"nothing cached under {kind}"
    path = files[0]
    CORRUPTIONS[corruption](path)
    capsys.readouterr()

    recovered = CACHE_KINDS[kind](tiny)

    for name in fresh:
        np.testing.assert_array_equal(recovered[name], fresh[name])
    reports = capsys.readouterr().err.strip().splitlines()
    assert len(reports) == 1, reports
    assert reports[0].startswith("cache: $NEURON_UTILS_CACHE/" + kind + "/")
    assert path.name in reports[0] and "removed it, recomputing" in reports[0]
    assert path.exists()  # saved again
    CACHE_KINDS[kind](tiny)
    assert capsys.readouterr().err == ""  # the new file is good: no second report
    assert parts_under(tmp_path) == []


def test_a_cache_file_cut_by_a_kill_is_swept_by_the_next_write(tmp_path):
    target = tmp_path / "activations" / "x.npz"
    target.parent.mkdir(parents=True)
    left = target.parent / f".x.{dead_pid()}-abc123.part.npz"
    left.write_bytes(b"half an npz")
    storage.save_arrays(target, {"value": np.arange(3)})
    assert not left.exists()
    assert target.stat().st_mode & 0o777 == umask_mode()


# --------------------------------------------------------------------------- the converted model


def _tiny_converter(calls: list, delay: float = 0.0):
    tiny = tiny_model("gemma3")

    def convert(folder: Path) -> None:
        calls.append(folder)
        time.sleep(delay)
        tiny.model.save_pretrained(folder)
        tiny.tokenizer.save_pretrained(folder)

    return convert


def _truncate(path: Path) -> None:
    with open(path, "r+b") as fh:
        fh.truncate(path.stat().st_size // 2)


MODEL_FAULTS = {
    "truncated weights": (lambda f: _truncate(f / "model.safetensors"), "bytes"),
    "garbage weights": (
        lambda f: (f / "model.safetensors").write_bytes(
            bytes((f / "model.safetensors").stat().st_size)
        ),
        "wrong sha256",
    ),
    "no integrity record": (lambda f: (f / models.INTEGRITY_RECORD).unlink(), "integrity record"),
    "missing tokenizer": (lambda f: (f / "tokenizer.json").unlink(), "lacks tokenizer.json"),
}


@pytest.mark.parametrize("fault", MODEL_FAULTS)
def test_a_damaged_converted_model_is_converted_again(fault, tmp_path, capsys):
    from transformers import AutoModelForCausalLM

    calls = []
    convert = _tiny_converter(calls)
    target = tmp_path / "tiny-model"
    assert models.converted_folder(target, convert) == target
    assert target.stat().st_mode & 0o777 == umask_mode(directory=True)
    assert (target / "model.safetensors").stat().st_mode & 0o777 == umask_mode()
    damage, said = MODEL_FAULTS[fault]
    damage(target)
    capsys.readouterr()

    models.converted_folder(target, convert)

    assert len(calls) == 2
    # (transformers' own save bar may come too: load_model turns it off, this test does not)
    err = [line for line in capsys.readouterr().err.splitlines() if line.startswith("model ")]
    assert len(err) == 1 and said in err[0] and "converting it again" in err[0], err
    assert models.integrity_problem(target) is None
    AutoModelForCausalLM.from_pretrained(target)  # loads
    assert parts_under(tmp_path) == []


def test_a_conversion_killed_midway_leaves_nothing_that_a_later_run_trips_on(tmp_path):
    target = tmp_path / "tiny-model"
    half_done = tmp_path / f".tiny-model.{dead_pid()}-abc123.part"  # a killed conversion's folder
    half_done.mkdir()
    (half_done / "model.safetensors").write_bytes(b"half")
    target.mkdir()  # and a folder without its integrity record at the final name
    (target / "config.json").write_text("{}")
    calls = []
    models.converted_folder(target, _tiny_converter(calls))
    assert len(calls) == 1 and models.integrity_problem(target) is None
    assert not half_done.exists()


CONCURRENT = """
import sys, time
from pathlib import Path
sys.path.insert(0, {root!r})
from neuron_utils.core.models import converted_folder

def convert(folder):
    with open({log!r}, "a") as fh:
        fh.write("converted\\n")
    time.sleep(2)
    (folder / "weights.bin").write_bytes(b"w" * 1000)

converted_folder(Path({target!r}), convert)
"""


def test_two_processes_converting_at_once_convert_once(tmp_path):
    log, target = tmp_path / "log", tmp_path / "model"
    script = tmp_path / "convert.py"
    script.write_text(CONCURRENT.format(root=str(ROOT), log=str(log), target=str(target)))
    procs = [
        subprocess.Popen([sys.executable, str(script)], stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    errors = [proc.communicate(timeout=60)[1] for proc in procs]
    assert [proc.returncode for proc in procs] == [0, 0], errors
    assert log.read_text() == "converted\n"
    assert sum("waiting for it" in err for err in errors) == 1, errors
    assert models.integrity_problem(target) is None


@pytest.mark.integration
def test_the_truncated_default_model_cache_is_converted_again(
    gemma, gguf_load, tmp_path, monkeypatch
):
    """The real conversion of the PyPI GGUF: its de-quantised load is the session's one
    (``gguf_load``, which the bit-identity test compares with the cache); saving, the integrity
    record and the reload run here."""
    original = models.default_model_cache()
    monkeypatch.setenv("NEURON_UTILS_MODEL_CACHE", str(tmp_path))

    def load_gguf(folder):  # the session's load, as if assembled in the conversion's folder
        folder.mkdir(parents=True)
        return gguf_load

    monkeypatch.setattr(models, "load_gguf", load_gguf)
    import shutil

    copy = tmp_path / original.name
    shutil.copytree(original, copy)
    _truncate(copy / "model.safetensors")
    assert "truncated" in models.integrity_problem(copy)

    assert models.default_model_cache() == copy
    assert models.integrity_problem(copy) is None
    assert models.load_model(dtype="float32").fingerprint == gemma.fingerprint
    assert parts_under(tmp_path) == []


# --------------------------------------------------------------------------- killed runs

RUN_01 = """
from pathlib import Path
from neuron_utils.book import runner
runner.run_chapter("01", overrides={overrides!r}, output_dir=Path({out!r}), extra_cells={extra!r})
"""
# a last cell that outlasts the test: the first run is killed midway whatever the machine's speed
SLEEP = "import time\ntime.sleep(600)"


def _kernel_processes(folder: Path) -> list[int]:
    """Processes whose command line names ``folder`` (the kernel gets its connection file)."""
    found = []
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            if str(folder) in (proc / "cmdline").read_bytes().decode(errors="replace"):
                found.append(int(proc.name))
        except OSError:
            continue
    return found


def test_a_chapter_killed_midway_is_cleaned_up_by_the_next_run(tmp_path, smoke_model):
    out = tmp_path / "chapters"
    overrides = {**ch01.SPEC.tiny, "MODEL": smoke_model}  # the chapter, not the model
    code = RUN_01.format(overrides=overrides, out=str(out), extra=[SLEEP])
    run = subprocess.Popen([sys.executable, "-c", code], stderr=subprocess.DEVNULL)
    own = lambda pattern: [p for p in runner.KERNELS.glob(pattern) if f".{run.pid}-" in p.name]  # noqa: E731
    deadline = time.time() + 120
    while not [p for p in own(".run.*.part") if (p / "kernel.json").exists()]:
        assert run.poll() is None and time.time() < deadline, "the chapter never started a kernel"
        time.sleep(0.2)
    time.sleep(4)  # a few cells in: imports, the model load
    assert run.poll() is None, "the chapter finished before it could be killed"
    run.send_signal(signal.SIGKILL)
    run.wait()
    [kernel_folder] = own(".run.*.part")
    [half_written] = parts_under(out)
    assert half_written.name.startswith(".01_cross_lingual_similarity.")
    deadline = time.time() + 15
    while _kernel_processes(kernel_folder):  # the kernel notices its parent is gone
        assert time.time() < deadline, "the orphaned kernel kept running"
        time.sleep(0.5)

    code = RUN_01.format(overrides=overrides, out=str(out), extra=[])
    again = subprocess.run(
        [sys.executable, "-c", code], stderr=subprocess.PIPE, text=True, timeout=300
    )

    assert again.returncode == 0, again.stderr[-2000:]
    assert parts_under(out) == [] and not kernel_folder.exists()
    executed = out / "01_cross_lingual_similarity.ipynb"
    cells = json.loads(executed.read_text())["cells"]
    assert not [o for c in cells for o in c.get("outputs", []) if o["output_type"] == "error"]
    assert executed.stat().st_mode & 0o777 == umask_mode()


# --------------------------------------------------------------------------- data and network


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_the_paper_profile_without_network_fails_in_one_line(tmp_path):
    port = _closed_port()
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("NEURON_UTILS_DATA_MIRROR", "no_proxy", "NO_PROXY")
    }
    proxy = f"http://127.0.0.1:{port}"  # nothing listens there: no route to the data sets
    env.update(
        NEURON_UTILS_DOWNLOADS=str(tmp_path),
        http_proxy=proxy,
        https_proxy=proxy,
        HTTPS_PROXY=proxy,
        HTTP_PROXY=proxy,
    )
    done = subprocess.run(
        [sys.executable, "-m", "neuron_utils", "run", "01", "--profile", "paper", "--no-build"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: could not download https://"), lines
    assert "NEURON_UTILS_DATA_MIRROR" in lines[0]
    assert list(tmp_path.rglob("*")) == [] or not [p for p in tmp_path.rglob("*") if p.is_file()]


class _Server(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 (http.server's name)
        if self.path == "/stall":  # accepts, never answers
            time.sleep(4)
            return
        body = b"not the file the manifest names\n" * 100
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.path == "/half":  # half the body, then silence
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            time.sleep(4)
            return
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Server)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.mark.parametrize(
    ("route", "said"),
    [
        ("/stall", "timed out"),
        ("/half", "timed out"),
        ("/wrong", "checksum mismatch"),
    ],
)
def test_a_stalled_or_wrong_download_fails_clearly_and_saves_nothing(
    route, said, server, tmp_path, monkeypatch
):
    monkeypatch.delenv("NEURON_UTILS_DATA_MIRROR", raising=False)
    monkeypatch.setenv("NEURON_UTILS_DOWNLOADS", str(tmp_path))
    monkeypatch.setenv("NEURON_UTILS_DOWNLOAD_TIMEOUT", "1")
    monkeypatch.setattr(downloads, "file_url", lambda dataset, relpath: server + route)
    dataset = next(iter(downloads.manifest()["datasets"]))
    relpath = next(iter(downloads.manifest()["datasets"][dataset]["files"]))
    start = time.time()
    with pytest.raises(DataError, match=said) as caught:
        downloads.fetch(dataset, relpath)
    assert time.time() - start < 10
    assert "\n" not in str(caught.value)
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []


# --------------------------------------------------------------------------- the command line


def _cli(capsys, *argv: str) -> tuple[int, list[str]]:
    code = cli.main(list(argv))
    return code, capsys.readouterr().err.strip().splitlines()


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (["run", "09"], "error: unknown chapter '09'; available: 01"),
        (["run", "01", "-p", "N_PAIRS", "-3"], "error: N_PAIRS=-3 must be an integer"),
        (["run", "01", "-p", "N_PAIRZ", "30"], "error: chapter 01 has no parameter 'N_PAIRZ'"),
        (["run", "01", "-p", "L2_LANGUAGES", '["xx"]'], "error: L2_LANGUAGES"),
        (["run", "03", "-p", "DTYPE", "float8"], "error: "),
    ],
)
def test_bad_input_is_one_line_and_exit_code_2(argv, said, capsys):
    code, lines = _cli(capsys, *argv)
    assert code == 2
    assert len(lines) == 1 and lines[0].startswith(said), lines


def test_debug_adds_the_traceback(capsys):
    code, lines = _cli(capsys, "run", "01", "-p", "N_PAIRZ", "30", "--debug")
    assert code == 2
    assert lines[0] == "Traceback (most recent call last):"
    assert lines[-1].startswith("error: chapter 01 has no parameter 'N_PAIRZ'")


def test_an_unknown_profile_is_argparses_two_lines(capsys):
    with pytest.raises(SystemExit) as caught:
        cli.main(["run", "01", "--profile", "huge"])
    assert caught.value.code == 2
    assert "invalid choice: 'huge'" in capsys.readouterr().err


def test_building_with_a_chapter_not_executed_is_one_line(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(runner, "EXECUTED", tmp_path)
    code, lines = _cli(capsys, "build")
    assert code == 2
    assert len(lines) == 1 and lines[0].startswith("error: not executed yet: 01_"), lines
    assert "make book" in lines[0]


def test_a_bug_is_one_line_that_says_so(monkeypatch, capsys):
    def broken(*args, **kwargs):
        raise KeyError("oops")

    monkeypatch.setattr(runner, "resolve_parameters", broken)
    code, lines = _cli(capsys, "run", "01")
    assert code == 1
    assert lines == [
        "error: unexpected KeyError: 'oops'",
        "this is a bug: please report it with the output of the same command with --debug",
    ]


def test_a_failed_cell_names_the_cell_the_error_and_the_saved_notebook(
    tmp_path, monkeypatch, capsys
):
    broken = tmp_path / "my-model"  # a model folder whose weights file is not weights
    broken.mkdir()
    (broken / "config.json").write_text(json.dumps({"model_type": "llama"}))
    (broken / "model.safetensors").write_bytes(b"not a safetensors file")
    monkeypatch.setattr(runner, "EXECUTED", tmp_path / "chapters")
    monkeypatch.setattr(runner, "BUILD", tmp_path / "build")
    code, lines = _cli(
        capsys, "run", "01", "-p", "MODEL", str(broken), "-p", "N_PAIRS", "24", "--no-build"
    )
    assert code == 1
    lines = [line for line in lines if not line.startswith("[IPKernelApp]")]
    assert len(lines) == 2, lines
    # the statement that failed, then its cell
    assert lines[0].startswith(
        "error: chapter 01 failed in `model = nu.load_model(MODEL, dtype=DTYPE, device=DEVICE)` "
        "(cell ["
    ), lines[0]
    failed = tmp_path / "build" / "failed" / "01_cross_lingual_similarity.ipynb"
    assert lines[1].startswith(f"the failed notebook is {failed} ")
    assert failed.exists()
    assert not (tmp_path / "chapters").exists() or parts_under(tmp_path / "chapters") == []


def test_a_damaged_results_record_reads_as_not_run_in_the_findings(tmp_path, monkeypatch):
    findings = registry.chapter_module(registry.findings())

    monkeypatch.setenv("NEURON_UTILS_RESULTS", str(tmp_path))
    (tmp_path / "01.json").write_text('{"chapter": "01", "parameters": {"PRO')
    assert findings.read_quick(registry.chapter_module("01")) == (
        None,
        "record unreadable: run the chapter again",
    )


def test_written_files_follow_the_umask(tmp_path):
    previous = os.umask(0o027)
    try:
        storage.save_arrays(tmp_path / "a.npz", {"value": np.zeros(2)})
        with storage.atomic_path(tmp_path / "b.json") as tmp:
            tmp.write_text("{}")
        assert (tmp_path / "a.npz").stat().st_mode & 0o777 == 0o640
        assert (tmp_path / "b.json").stat().st_mode & 0o777 == 0o640
    finally:
        os.umask(previous)


def test_a_zip_without_the_expected_arrays_is_not_trusted(tmp_path, capsys, monkeypatch):
    """An .npz that opens but is not ours (an empty zip) is reported like any damage."""
    monkeypatch.setenv("NEURON_UTILS_CACHE", str(tmp_path))
    path = tmp_path / "analysis" / "x.npz"
    path.parent.mkdir(parents=True)
    with zipfile.ZipFile(path, "w"):
        pass
    assert cache.read_cached(path, {"value": cache.ArraySpec("float64", (3,))}) is None
    assert "not the expected arrays" in capsys.readouterr().err
    assert not path.exists()

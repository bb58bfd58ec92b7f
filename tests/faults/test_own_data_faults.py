"""A reader's own data and records that cannot lie: a replaced file is read as it is now, cells
that are not text, encodings, headers, validation before the model loads, causes that are
named (the cache or the disk, not the data file), Ctrl-C and repeated parameters.

``CASES`` lists each fault with the one line it now prints (the closing note's table)."""

from __future__ import annotations

import errno
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from neuron_utils import book
from neuron_utils.book import cli, runner
from neuron_utils.chapters import ch01_cross_lingual_similarity as ch01
from neuron_utils.core import paths, storage
from neuron_utils.data import DataError, own

from ..own_tables import write_parallel

pytestmark = pytest.mark.faults
ROOT = Path(__file__).resolve().parents[2]


def one_line(err: pytest.ExceptionInfo) -> str:
    text = str(err.value)
    assert "\n" not in text, text
    return text


# --------------------------------------------------------------------------- stale reads


def test_a_replaced_file_with_the_same_time_is_read_and_recorded_as_it_is_now(tmp_path):
    path = tmp_path / "news.tsv"
    path.write_text("en\tfr\nOne cat.\tUn chat.\nTwo dogs.\tDeux chiens.\n", encoding="utf-8")
    before = os.stat(path)
    assert own.texts(str(path), "fr") == ["Un chat.", "Deux chiens."]
    old_sha = own.describe(str(path))["files"]["news.tsv"]
    # a new version of the same size copied over it, its time kept (cp -p, an unpacked archive)
    path.write_text("en\tfr\nOne hat.\tUn chap.\nTwo pigs.\tDeux cygnes.\n", encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert os.stat(path).st_mtime_ns == before.st_mtime_ns
    assert os.stat(path).st_size == before.st_size
    assert own.texts(str(path), "fr") == ["Un chap.", "Deux cygnes."]  # the rows used ...
    entry = own.describe(str(path))
    assert entry["files"]["news.tsv"] == storage.sha256_file(path) != old_sha  # ... recorded
    assert entry["rows"] == 2


# --------------------------------------------------------------------------- cells and files


def _parquet(path: Path, columns: dict) -> str:
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.table(columns), path)
    return str(path)


@pytest.mark.parametrize(
    ("column", "said"),
    [
        (np.arange(100, 104), "column 'fr' holds int64 values, not text (row 1: '100')"),
        ([1.5, None, 2.5, 3.5], "column 'fr' holds float64 values, not text (row 1: '1.5')"),
        ([["a", "x"], ["b"], ["c"], ["d"]], "column 'fr' holds List values, not text"),
    ],
)
def test_cells_that_are_not_text_are_one_line(column, said, tmp_path):
    path = _parquet(tmp_path / "t.parquet", {"en": ["a", "b", "c", "d"], "fr": column})
    with pytest.raises(DataError) as caught:
        own.texts(path, "fr")
    assert one_line(caught).startswith(f"t.parquet: {said}"), one_line(caught)


def test_a_jsonl_list_cell_names_the_file_column_and_row(tmp_path):
    path = tmp_path / "t.jsonl"
    path.write_text('{"en": "a", "fr": ["a", "x"]}\n{"en": "b", "fr": ["b"]}\n', "utf-8")
    with pytest.raises(DataError, match=r"t.jsonl: column 'fr' holds \w+ values, not text"):
        own.texts(str(path), "fr")


def test_a_utf8_byte_order_mark_is_read(tmp_path):
    path = tmp_path / "bom.csv"
    path.write_bytes(b"\xef\xbb\xbfen,fr\nOne cat.,Un chat.\nTwo dogs.,Deux chiens.\n")
    assert own.languages(str(path)) == {"en": "en", "fr": "fr"}
    assert own.texts(str(path), "en") == ["One cat.", "Two dogs."]


@pytest.mark.parametrize(
    ("name", "content", "said"),
    [
        (
            "utf16.csv",
            "en,fr\nOne cat.,Un chat.\n".encode("utf-16"),
            "utf16.csv is UTF-16 (little-endian) text: save it as UTF-8",
        ),
        (
            "latin.tsv",
            "en\tfr\nOne tea.\tUn thé.\n".encode("latin-1"),
            "latin.tsv is not UTF-8 (byte 0xe9 on line 2; it reads as Windows-1252 / Latin-1)",
        ),
        (
            "sheet.csv",
            b"PK\x03\x04\x14\x00\x06\x00rest of a workbook",
            "sheet.csv is a ZIP archive (an Excel .xlsx or .ods workbook?), not text",
        ),
        ("broken.jsonl", b'{"en": "a"}\n{"en": "b"}\n{"en": "c",}\n', "broken.jsonl line 3"),
        ("list.jsonl", b'{"en": "a"}\n["b"]\n', "list.jsonl line 2: a list, not a JSON object"),
        ("twice.tsv", b"en\tja\tja\na\tb\tc\n", "twice.tsv: the header names 'ja' more than once"),
        ("space.tsv", b"en \tja\na\tb\n", "space.tsv: the column name 'en ' has spaces around"),
        ("plain.parquet", b"en,ja\na,b\n", "plain.parquet is not a Parquet file"),
    ],
)
def test_encodings_headers_and_syntax_are_one_line_naming_the_file(name, content, said, tmp_path):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(DataError) as caught:
        own.load(str(path))
    assert one_line(caught).startswith(said), one_line(caught)
    assert str(tmp_path) not in one_line(caught)  # the file by its name


def test_two_languages_on_one_column_is_one_line(tmp_path):
    path = str(write_parallel(tmp_path / "news.tsv"))
    with pytest.raises(DataError, match="maps 'ja' and 'ko' to the same column 'fr'"):
        own.languages(path, {"ja": "fr", "ko": "fr"})


# --------------------------------------------------------------------------- before the model


def test_what_can_be_checked_before_the_model_loads_is(tmp_path):
    pairs = tmp_path / "three.tsv"
    pairs.write_text(
        "paradigm\tgood\tbad\nagr\tThe cat sleeps.\tThe cat sleep.\n"
        "agr\tThe dog runs.\tThe dog run.\nagr\tA bird sings.\tA bird sing.\n",
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match=r"MIN_PAIRS=20: .* three/agr \(3\)"):
        book.resolve_parameters("04", "quick", {"PAIR_SOURCES": [str(pairs)]})
    with pytest.raises(ValueError, match=r"SEED=4294967296 must be an integer in 0..4294967295"):
        ch01.Parameters(SEED=2**32)
    empty = tmp_path / "empty-model"
    empty.mkdir()
    with pytest.raises(ValueError, match="MODEL='empty-model' is a folder without config.json"):
        ch01.Parameters(MODEL=str(empty))
    (empty / "config.json").write_text("{}")
    with pytest.raises(ValueError, match="has a config.json but no weights"):
        ch01.Parameters(MODEL=str(empty))


def test_a_full_or_unwritable_cache_is_named_before_the_run(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("NEURON_UTILS_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(
        storage.shutil, "disk_usage", lambda folder: type("U", (), {"free": 2**29})()
    )
    code = cli.main(["run", "04", "-p", "PARADIGMS", '["transitive", "npi_ever"]'])
    lines = capsys.readouterr().err.strip().splitlines()
    assert code == 1 and len(lines) == 1, lines
    assert lines[0] == (
        f"error: cannot write {tmp_path / 'cache'}: 0.5 GiB free, and this run's caches need "
        "about 2 GiB; free space there or point NEURON_UTILS_CACHE to another folder"
    )

    def read_only(*args, **kwargs):
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(storage.tempfile, "mkstemp", read_only)
    with pytest.raises(storage.StorageError, match="it is on a read-only file system"):
        storage.check_writable(tmp_path / "cache")


def test_a_full_disk_while_writing_names_the_folder_not_the_data(tmp_path, monkeypatch):
    def full(src, dst):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(storage.os, "replace", full)
    target = tmp_path / "cache" / "x.npz"
    with pytest.raises(storage.StorageError) as caught:
        with storage.atomic_path(target) as tmp:
            tmp.write_text("data")
    assert caught.value.strerror.startswith(f"cannot write {target.parent}: the disk is full")
    assert list(target.parent.iterdir()) == []  # nothing half-written
    # an own table's cache copy: the cache is named, not the table
    monkeypatch.setenv("NEURON_UTILS_CACHE", str(tmp_path / "cache2"))
    table = write_parallel(tmp_path / "news.tsv")
    with pytest.raises(DataError) as caught:
        own.texts(str(table), "fr")
    assert one_line(caught).startswith(f"cannot write {tmp_path / 'cache2' / 'own'}")
    assert "news.tsv" not in one_line(caught).split(":")[0]


def test_an_empty_cache_variable_is_an_error(monkeypatch):
    monkeypatch.setenv("NEURON_UTILS_CACHE", "")
    with pytest.raises(ValueError, match="NEURON_UTILS_CACHE is set but empty"):
        paths.cache_dir()
    monkeypatch.setenv("NEURON_UTILS_CACHE", "  ")
    with pytest.raises(ValueError, match="NEURON_UTILS_CACHE is set but empty"):
        paths.cache_dir()


def test_a_parameter_given_twice_is_an_error(capsys):
    code = cli.main(["run", "01", "-p", "N_PAIRS", "20", "-p", "N_PAIRS", "100000"])
    lines = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and lines == [
        "error: -p N_PAIRS given more than once: give each parameter once"
    ]


def test_a_failure_after_the_model_loads_names_the_statement():
    from neuron_utils.book.runner import failed_statement

    traceback = [
        "\x1b[0;31mValueError\x1b[0m   Traceback (most recent call last)",
        "Cell \x1b[0;32mIn[4], line 2\x1b[0m\n\x1b[1;32m      1\x1b[0m model = nu.load_model("
        "MODEL)\n\x1b[0;32m----> 2\x1b[0m results \x1b[38;5;241m=\x1b[39m chapter.analyse("
        "model, params)\n",
        "File chapter.py:3, in analyse\n----> 3 raise ValueError('no paradigm')",
    ]
    assert failed_statement(traceback) == "results = chapter.analyse(model, params)"


# --------------------------------------------------------------------------- Ctrl-C


# the CLI as a reader runs it, into a folder of the test's, with a last cell that outlasts it
INTERRUPTED = """
import functools, sys
from pathlib import Path
from neuron_utils.book import cli, runner
runner.run_chapter = functools.partial(
    runner.run_chapter, output_dir=Path({out!r}), extra_cells=["import time; time.sleep(600)"]
)
sys.exit(cli.main(["run", "01", "--no-build", *{args!r}]))
"""


def test_ctrl_c_is_one_line_exit_130_and_keeps_nothing(tmp_path, smoke_model):
    out = tmp_path / "chapters"
    args = ["-p", "MODEL", json.dumps(smoke_model), "-p", "N_PAIRS", "12"]
    env = {**os.environ, "NEURON_UTILS_RESULTS": str(tmp_path / "results")}
    run = subprocess.Popen(
        [sys.executable, "-c", INTERRUPTED.format(out=str(out), args=args)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    own_kernels = lambda: [  # noqa: E731
        p for p in runner.KERNELS.glob(".run.*.part") if f".{run.pid}-" in p.name
    ]
    deadline = time.time() + 180
    while not [p for p in own_kernels() if (p / "kernel.json").exists()]:
        assert run.poll() is None and time.time() < deadline, "the chapter never started a kernel"
        time.sleep(0.2)
    time.sleep(3)  # a few cells in
    assert run.poll() is None, "the chapter finished before it could be interrupted"
    run.send_signal(signal.SIGINT)
    _, err = run.communicate(timeout=60)
    assert run.returncode == 130
    assert err.strip().splitlines() == ["interrupted; nothing kept from this run"], err
    assert not own_kernels()  # its kernel folder is gone
    assert not out.exists() or not list(out.iterdir())  # no executed copy, no part file
    assert not (tmp_path / "results" / "01.json").exists()


def test_a_malformed_table_keeps_the_readers_cause_and_names_the_file(tmp_path, capfd):
    path = tmp_path / "ragged.csv"
    path.write_text("en,fr\nOne cat.,Un chat.\nTwo,dogs.,Deux chiens.\n", encoding="utf-8")
    with pytest.raises(DataError) as caught:
        own.texts(str(path), "fr")
    assert one_line(caught) == (
        "ragged.csv could not be read as csv: ParserError: Error tokenizing data. "
        "C error: Expected 2 fields in line 3, saw 3"
    )
    assert caught.value.__cause__ is not None  # --debug shows the whole chain
    assert "Failed to read file" not in capfd.readouterr().err  # no log line naming the copy

"""What `run` re-executes (run records) and what its terminal display shows, without a model."""

from __future__ import annotations

import json

from neuron_utils.book import registry, runner
from neuron_utils.book.display import BookDisplay, bar_text, clock
from neuron_utils.core import progress

FINDINGS = registry.findings()  # the findings page's number (new chapters go before it)


def _executed(tmp_path, chapter=FINDINGS, overrides=None):
    """A stand-in executed notebook of ``chapter`` with the record a run would write."""
    executed = tmp_path / f"{registry.page_name(chapter)}.ipynb"
    executed.write_text(json.dumps({"cells": [], "metadata": {"papermill": {"duration": 12.5}}}))
    parameters = runner.resolve_parameters(chapter, "quick", overrides)
    runner.write_run_record(executed, runner.chapter_inputs(chapter, parameters), "quick", 3.0)
    return executed


def test_a_chapter_is_out_of_date_until_its_run_is_recorded(tmp_path):
    assert runner.out_of_date(FINDINGS, output_dir=tmp_path) == "not executed yet"
    executed = _executed(tmp_path)
    assert runner.out_of_date(FINDINGS, output_dir=tmp_path) is None
    runner.run_record_path(executed).unlink()
    assert runner.out_of_date(FINDINGS, output_dir=tmp_path) == "no record of its last run"


def test_changed_parameters_or_a_changed_executed_copy_make_it_run_again(tmp_path):
    _executed(tmp_path, "01")
    assert runner.out_of_date("01", output_dir=tmp_path) is None
    assert (
        runner.out_of_date("01", overrides={"N_PAIRS": 30}, output_dir=tmp_path)
        == "its parameters changed"
    )
    executed = tmp_path / f"{registry.page_name('01')}.ipynb"
    executed.write_text(executed.read_text() + " ")
    assert runner.out_of_date("01", output_dir=tmp_path) == "its executed notebook was changed"
    # another profile alone (the findings page needs no data to resolve its parameters)
    _executed(tmp_path, FINDINGS)
    assert (
        runner.out_of_date(FINDINGS, "paper-lite", output_dir=tmp_path) == "its parameters changed"
    )


def test_another_profile_makes_a_data_chapter_run_again(mirror, tmp_path):
    """Chapter 1's paper-lite parameters resolve only with the real data (Tatoeba) at hand."""
    _executed(tmp_path, "01")
    assert runner.out_of_date("01", "paper-lite", output_dir=tmp_path) == "its parameters changed"


def test_the_findings_page_depends_on_the_other_chapters_results(tmp_path, monkeypatch):
    monkeypatch.setenv("NEURON_UTILS_RESULTS", str(tmp_path / "results"))
    (tmp_path / "results").mkdir()
    (tmp_path / "results" / "01.json").write_text("{}")
    _executed(tmp_path)
    assert runner.out_of_date(FINDINGS, output_dir=tmp_path) is None
    (tmp_path / "results" / "01.json").write_text('{"changed": 1}')
    assert runner.out_of_date(FINDINGS, output_dir=tmp_path) == "the data it reads changed"
    # chapter 1 does not read recorded results
    _executed(tmp_path, "01")
    (tmp_path / "results" / "01.json").write_text('{"changed": 2}')
    assert runner.out_of_date("01", output_dir=tmp_path) is None


def test_the_estimate_is_the_last_recorded_run_else_papermills_duration(tmp_path):
    executed = _executed(tmp_path)
    assert runner.last_wall_s(executed) == 3.0
    runner.run_record_path(executed).unlink()
    assert runner.last_wall_s(executed) == 12.5
    assert runner.last_wall_s(tmp_path / "none.ipynb") is None


def test_the_estimate_scales_a_run_in_another_dtype_and_starts_from_the_bench(tmp_path):
    executed = _executed(tmp_path, "01")  # recorded: 3.0 s, quick, no dtype (an older record)
    assert runner.estimated_wall_s(executed, "01", "quick", "float32") == (3.0, "last time")
    record = json.loads(runner.run_record_path(executed).read_text())
    runner.run_record_path(executed).write_text(json.dumps(record | {"dtype": "bfloat16"}))
    assert runner.estimated_wall_s(executed, "01", "quick", "bfloat16") == (3.0, "last time")
    seconds, basis = runner.estimated_wall_s(executed, "01", "quick", "float32")
    cost = runner.quick_cold_s("01")  # the chapter's spec: what make bench measured
    ratio = cost["float32"] / cost["bfloat16"]
    assert seconds == 3.0 * ratio and basis == "from 0:03 last time in bfloat16"
    # a run of another profile says nothing of this one; a first quick run: the bench's time
    assert runner.estimated_wall_s(executed, "01", "paper", "float32") == (None, "first run")
    first = tmp_path / "none.ipynb"
    assert runner.estimated_wall_s(first, "02", "quick", "float32") == (
        runner.quick_cold_s("02")["float32"],
        "in float32 with cold caches on two cores (make bench)",
    )
    assert runner.estimated_wall_s(first, "02", "paper-lite", "float32") == (None, "first run")


def test_the_dtype_ratio_of_a_chapter_the_bench_did_not_time_is_the_books(monkeypatch):
    costs = {c: runner.quick_cold_s(c) for c in registry.chapters()}
    costs = {c: cost for c, cost in costs.items() if cost}  # a new chapter's: not timed yet
    total = {d: sum(cost[d] for cost in costs.values()) for d in ("float32", "bfloat16")}
    # every timed chapter's spec states both costs (make bench measures them)
    assert all(cost.keys() == {"float32", "bfloat16"} for cost in costs.values())
    measured = runner.dtype_ratio("03", "float32", "bfloat16")
    assert measured == costs["03"]["float32"] / costs["03"]["bfloat16"]
    assert runner.dtype_ratio("03", "float16", "bfloat16") == 1.0  # a GPU's float16: as bf16
    assert runner.dtype_ratio("03", "float64", "bfloat16") == 1.0
    # a chapter whose spec has no costs (a new one): the book's totals
    real = runner.quick_cold_s
    monkeypatch.setattr(runner, "quick_cold_s", lambda c: {} if c == "03" else real(c))
    rest = {d: total[d] - costs["03"][d] for d in total}
    assert runner.dtype_ratio("03", "float32", "bfloat16") == rest["float32"] / rest["bfloat16"]


def test_bar_text():
    assert clock(75) == "1:15" and clock(3725) == "1:02:05"
    line = bar_text(
        30, 120, (3, 12), {"desc": "scoring", "n": 4, "total": 40, "unit": "batch"}, 200
    )
    assert "25%" in line and "0:30 of ~2:00" in line and "cell 3/12" in line
    assert line.endswith("scoring 4/40 batch")
    # past the estimate the bar stops at 99 %; without one it counts cells
    assert "99%" in bar_text(500, 120, None, None, 200)
    assert "50%" in bar_text(10, None, (6, 12), None, 200)
    assert len(bar_text(30, 120, (3, 12), {"desc": "x" * 300, "n": 1}, 80)) == 80


def test_the_display_prints_plain_lines_and_a_table_off_a_terminal(tmp_path):
    import io

    out = io.StringIO()
    display = BookDisplay(total=2, stream=out, live=False)
    display.skipped("01", "One", "up to date")
    display.started("02", "Two", 60.0, "not executed yet", tmp_path / "progress.jsonl")
    display.finished(ok=True)
    table = display.table(build_s=5.0)
    text = out.getvalue()
    assert "[1/2] 01 One: up to date" in text and "[2/2] 02 Two … (not executed yet" in text
    assert "\r" not in text  # no live bar
    assert "01 One" in table and "up to date" in table and "HTML book" in table


def test_loops_report_to_the_runners_file_instead_of_a_bar(tmp_path, monkeypatch):
    report = tmp_path / "progress.jsonl"
    monkeypatch.setenv(progress.PROGRESS_FILE, str(report))
    assert list(progress.progress_bar(range(7), "scoring")) == list(range(7))
    assert progress.latest_report(report) == {
        "desc": "scoring",
        "n": 7,
        "total": 7,
        "unit": "batch",
    }
    assert progress.latest_report(tmp_path / "missing") is None


def test_progress_is_off_outside_a_terminal_unless_asked(monkeypatch):
    monkeypatch.delenv("NEURON_UTILS_PROGRESS", raising=False)
    assert progress.progress_enabled() is False  # pytest's stderr is no terminal
    monkeypatch.setenv("NEURON_UTILS_PROGRESS", "1")
    assert progress.progress_enabled() is True
    assert progress.progress_enabled(False) is False


def test_a_chapter_runs_again_only_for_the_modules_it_runs():
    """Editing one chapter's module makes that chapter and the findings page out of date, and
    no other; editing a shared method every chapter that imports it."""
    from neuron_utils.kit import imports

    code = {
        c: {imports.module_name(p) for p in registry.chapter_code(c)} for c in registry.chapters()
    }
    for chapter in code:
        own = imports.module_name(registry.chapter_module(chapter).__file__)
        assert {c for c in code if own in code[c]} == {chapter, FINDINGS}
    assert {c for c in code if "methods.lape" in code[c]} == {"03", FINDINGS}
    assert all("core.models" in names for names in code.values())  # every chapter loads a model


def test_the_static_closure_holds_every_module_a_chapter_imports():
    """What importing a chapter's package really loads (in a fresh interpreter, one chapter at
    a time) is within the closure the walk computes: the lazy package attributes are seen."""
    import subprocess
    import sys

    from neuron_utils.kit import imports

    script = (
        "import json, sys\n"
        "from neuron_utils.book import registry\n"
        "names = registry.package_names()\n"
        "out = {}\n"
        "for number, package in names.items():\n"
        "    for m in [m for m in sys.modules if m.startswith('neuron_utils')]:\n"
        "        del sys.modules[m]\n"
        "    __import__(f'neuron_utils.chapters.{package}')\n"
        "    out[number] = sorted(m for m in sys.modules if m.startswith('neuron_utils'))\n"
        "print(json.dumps(out))\n"
    )
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    loaded = json.loads(run.stdout.splitlines()[-1])
    graph = imports.module_graph()
    for number, names in loaded.items():
        package = f"chapters.{registry.package_names()[number]}"
        closure = imports.closure([package], graph)
        found = {n.removeprefix("neuron_utils").lstrip(".") for n in names}
        assert found <= closure, (number, sorted(found - closure))


def test_a_lazy_name_counts_as_the_module_that_defines_it(tmp_path):
    from neuron_utils.kit import imports

    package = tmp_path / "pkg"
    for path, text in {
        "__init__.py": '_LAZY = {"f": "sub.a", "G": "b"}\n',
        "sub/__init__.py": '_LAZY = {"h": "c"}\n',
        "sub/a.py": "def f(): pass\n",
        "sub/c.py": "def h(): pass\n",
        "b.py": "G = 1\n",
        "user.py": "from . import f\n",
        "attr_user.py": "from . import sub\nsub.h()\n",
        "plain.py": "from .sub import a\n",
    }.items():
        (package / path).parent.mkdir(parents=True, exist_ok=True)
        (package / path).write_text(text)
    graph = imports.module_graph(package, parents=False)
    assert graph["user"] == {"sub.a"}  # not the whole package
    assert graph["attr_user"] == {"sub", "sub.c"}  # sub.h through sub's table
    assert graph["plain"] == {"sub.a"}
    lazy = imports.lazy_tables(package)
    assert lazy[""] == {"f": "sub.a", "G": "b"} and lazy["sub"] == {"h": "sub.c"}
    # a notebook's `nu.load_model` is core.models, `nu.kit` the kit (whose __init__ imports
    # its modules: the closure has them)
    known = imports.modules()
    source = "import neuron_utils as nu\nnu.load_model()\nnu.kit.start_chapter\n"
    assert imports.imports_of(source, "", known) == {"", "core", "core.models", "kit"}


def test_the_import_walk_resolves_relative_and_local_imports(tmp_path):
    from neuron_utils.kit import imports

    package = tmp_path / "pkg"
    for path, text in {
        "__init__.py": "from . import a\n",
        "a.py": "from .sub import b\n",
        "sub/__init__.py": "",
        "sub/b.py": "def f():\n    from ..c import g  # a local import counts\n",
        "c.py": "import os\ng = 1\n",
        "d.py": "from .sub import b as renamed\n",
        "lonely.py": "",
    }.items():
        (package / path).parent.mkdir(parents=True, exist_ok=True)
        (package / path).write_text(text)
    graph = imports.module_graph(package)
    assert graph["a"] == {"sub.b", "sub", ""}  # the packages Python runs first, too
    assert graph["sub.b"] == {"c", ""}
    assert imports.closure(["d"], graph) == {"d", "sub.b", "sub", "c", "", "a"}
    assert imports.module_graph(package, parents=False)["a"] == {"sub.b"}
    # a notebook's absolute imports of the book's package
    known = imports.modules()
    assert imports.imports_of("import neuron_utils as nu\n", "", known) == {""}
    assert "chapters.ch04_grammar_probes" in imports.imports_of(
        "from neuron_utils.chapters import ch04_grammar_probes as chapter\n", "", known
    )

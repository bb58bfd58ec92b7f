"""A reader's own data through ``datasets``: parallel tables and minimal-pair tables in every
file format, the column mapping, the one-line errors before any model loads, provenance and
what makes a chapter out of date."""

from __future__ import annotations

import csv
import hashlib
import json
import re
from pathlib import Path

import numpy as np
import pytest

from neuron_utils import data
from neuron_utils.kit.pairs import PairParameters
from neuron_utils.chapters import ch01_cross_lingual_similarity as ch01
from neuron_utils.chapters import ch04_grammar_probes as ch04
from neuron_utils.chapters import ch06_ablations as ch06
from neuron_utils.data import DataError, own

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "data" / "examples" / "own_parallel.tsv"


def _rows(n: int = 40) -> list[dict[str, str]]:
    """``n`` rows of the book's own example table (en, ja, ko)."""
    with EXAMPLE.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    assert len(rows) >= n
    return rows[:n]


def write_table(path: Path, rows: list[dict[str, str]]) -> Path:
    """``rows`` as a .jsonl, .csv, .tsv or .parquet file (by the suffix of ``path``)."""
    if path.suffix == ".jsonl":
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    elif path.suffix in (".csv", ".tsv"):
        with path.open("w", encoding="utf-8", newline="") as f:
            writer = csv.DictWriter(
                f, list(rows[0]), delimiter="\t" if path.suffix == ".tsv" else ","
            )
            writer.writeheader()
            writer.writerows(rows)
    else:
        import pandas as pd

        pd.DataFrame(rows).to_parquet(path)
    return path


@pytest.mark.parametrize("suffix", [".tsv", ".jsonl", ".csv", ".parquet"])
def test_every_format_reads_the_same_sentences(tmp_path, suffix):
    rows = _rows()
    path = write_table(tmp_path / f"own{suffix}", rows)
    assert data.is_own(str(path))
    assert data.available_languages(str(path)) == ("en", "ja", "ko")
    for lang in ("en", "ja", "ko"):
        assert data.texts(str(path), lang) == [r[lang] for r in rows]
    pairs = data.translation_pairs(str(path), "en", "ja")
    assert pairs == [(r["en"], r["ja"]) for r in rows]


def test_column_mapping_names_languages(tmp_path):
    rows = [{"english": r["en"], "japanese": r["ja"], "note": "x"} for r in _rows(10)]
    path = str(write_table(tmp_path / "named.tsv", rows))
    with pytest.raises(
        DataError, match="has no language columns .*columns: english, japanese, note"
    ):
        data.available_languages(path)
    mapping = {"en": "english", "ja": "japanese"}
    assert data.available_languages(path, mapping) == ("en", "ja")
    assert data.texts(path, "ja", mapping)[0] == rows[0]["japanese"]
    with pytest.raises(
        DataError, match="DATA_COLUMNS maps 'ko' to 'korean', which is not a column"
    ):
        data.available_languages(path, {"ko": "korean"})


def test_make_pairs_on_an_own_table_uses_its_rows(tmp_path):
    rows = _rows(30)
    path = str(write_table(tmp_path / "own.tsv", rows))
    ps = data.make_pairs(path, "en", "ko", 12, "derangement", seed=3)
    assert ps.n_per_class == 12
    translations = {r["en"]: r["ko"] for r in rows}
    for (i, j), label in zip(ps.pairs, ps.labels, strict=True):
        assert (translations[ps.l1_texts[i]] == ps.l2_texts[j]) == bool(label)
    assert data.max_pairs(path, "en", "ko", "disjoint") == 15


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (
            lambda rows: rows[7].update(ja=""),
            r"own\.tsv: row 8 has an empty ja sentence \(column 'ja'\)",
        ),
        (
            lambda rows: rows[9].update(en=rows[2]["en"]),
            r"own\.tsv: the en sentence of row 10 repeats row 3 \(column 'en'\)",
        ),
    ],
)
def test_empty_or_repeated_sentences_fail_with_their_row(tmp_path, edit, message):
    rows = _rows(12)
    edit(rows)
    path = str(write_table(tmp_path / "own.tsv", rows))
    with pytest.raises(DataError, match=message):
        data.translation_pairs(path, "en", "ja")


def _parameters(path: str, **changes) -> PairParameters:
    """Chapter 1's parameters on an own table, checked against it (:meth:`validate`)."""
    values = {"L2_LANGUAGES": ["ja"], "CV_FOLDS": 2, **changes}
    return ch01.Parameters(DATA_SOURCE=path, **values).validate()


def test_parameters_check_the_table_before_the_model(tmp_path):
    path = str(write_table(tmp_path / "own.tsv", _rows(20)))
    # N_PAIRS_DISJOINT and N_PAIRS_CROSS_CORPUS left at None: N_PAIRS, capped by the data
    p = _parameters(path, N_PAIRS=12)
    assert p.design_sizes == {"derangement": 12, "disjoint": 10, "cross-corpus": 12}
    cases = [
        (
            {"N_PAIRS": 30},
            "N_PAIRS=30 is more than the data has for en-ja: the derangement design on ",
        ),
        ({"L2_LANGUAGES": ["fr"]}, "L2_LANGUAGES (of the "),
        (
            {"DATA_COLUMNS": {"fr": "french"}},
            "DATA_COLUMNS maps 'fr' to 'french', which is not a column",
        ),
    ]
    for changes, message in cases:
        with pytest.raises((ValueError, DataError), match=re.escape(message)):
            _parameters(path, **changes)
    missing = str(tmp_path / "nowhere.tsv")
    with pytest.raises(DataError, match=r"own data file '.*nowhere\.tsv' does not exist"):
        _parameters(missing)
    with pytest.raises(
        ValueError, match=r"DATA_SOURCE='own\.xlsx' is not allowed; choose one of: "
    ):
        _parameters("own.xlsx")
    with pytest.raises(ValueError, match="DATA_COLUMNS=.* maps the columns of an own table"):
        ch01.Parameters(DATA_COLUMNS={"en": "english"})


def test_relative_paths_are_read_from_the_folder_the_command_ran_in(tmp_path, monkeypatch):
    write_table(tmp_path / "own.tsv", _rows(10))
    monkeypatch.setenv(own.WORKDIR, str(tmp_path))
    assert data.texts("own.tsv", "en")[0] == _rows(1)[0]["en"]


def test_an_edited_file_is_read_again(tmp_path):
    rows = _rows(10)
    path = write_table(tmp_path / "own.tsv", rows)
    before = data.texts(str(path), "en")
    rows[0]["en"] = "A sentence that was changed."
    write_table(path, rows)
    assert data.texts(str(path), "en") == ["A sentence that was changed.", *before[1:]]


def test_provenance_names_the_file_and_its_sha256(tmp_path):
    path = write_table(tmp_path / "own.tsv", _rows(20))
    (entry,) = _parameters(str(path), N_PAIRS=10).describe_data()[:1]
    assert entry["files"] == {"own.tsv": hashlib.sha256(path.read_bytes()).hexdigest()}
    assert entry["rows"] == 20 and entry["columns"] == "en, ja"
    assert str(tmp_path) not in json.dumps(entry)  # no machine path in a published chapter
    from neuron_utils.kit.provenance import provenance_table

    table = provenance_table({}, [entry], {})["value"]  # the chapter's provenance cell
    assert table["data"].startswith("own file own.tsv (read with datasets' csv builder)")
    assert table["sha256 own.tsv"] == entry["files"]["own.tsv"][:16] + "…"
    assert table["data rows"] == "20"


def test_a_changed_table_makes_the_chapter_out_of_date(tmp_path):
    from neuron_utils.book import runner

    rows = _rows(20)
    path = write_table(tmp_path / "own.tsv", rows)
    p = _parameters(str(path), N_PAIRS=10)
    before = runner.chapter_inputs("01", p)
    rows[3]["ja"] = "別の文。"
    write_table(path, rows)
    after = runner.chapter_inputs("01", p)
    assert before["data"] != after["data"] and before["parameters"] == after["parameters"]
    # the built-in sources keep the digest they had before own tables existed
    bundled = ch01.Parameters()
    assert runner.chapter_inputs("01", bundled)["data"] == runner._digest(
        [
            q
            for q in [
                runner.DATA_DIR / "manifest.json",
                *(x for x in (runner.DATA_DIR / "bundled").rglob("*") if x.is_file()),
                *runner.paper_results_dir().glob("*.json"),
            ]
            if q.exists()
        ]
    )


def test_hub_datasets_offline_fail_at_validation_naming_the_alternatives(monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    assert own.parse("hf:org/name@abc123:cfg:test") == own.OwnSource(
        "hf:org/name@abc123:cfg:test",
        dataset="org/name",
        revision="abc123",
        config="cfg",
        split="test",
    )
    with pytest.raises(DataError, match="hf:<dataset id>"):
        own.parse("hf::x")
    with pytest.raises(DataError) as err:
        _parameters("hf:someone/parallel-sentences-that-are-not-here")
    message = str(err.value)
    assert "\n" not in message
    assert "hub datasets need the network" in message and ".tsv" in message
    assert "built-in source" in message


def test_chapter_1_analysis_end_to_end_on_a_tsv(tmp_path, monkeypatch):
    """Chapter 1's analysis on a local TSV with en/ja/ko columns, read through datasets, on a
    tiny random model: every design and measure comes out for every L2, with the sizes asked."""
    from ..helpers import tiny_model

    path = write_table(tmp_path / "own.tsv", _rows(40))
    p = ch01.Parameters(
        DATA_SOURCE=str(path), L2_LANGUAGES=["ja", "ko"], N_PAIRS=16, CV_FOLDS=2, BATCH_SIZE=8
    )
    loads = []
    real = own._load.__wrapped__
    monkeypatch.setattr(own, "_load", lambda *a: loads.append(a) or real(*a))
    model = tiny_model("llama")
    results = ch01.analyse(model, p)
    assert loads, "the table was read through datasets"
    for l2 in ("ja", "ko"):
        for design, n in p.design_sizes.items():
            analysis = results[(l2, design)]
            assert analysis.n_per_class == n
            assert analysis.cv["concat"].shape == (model.n_layers, 2)
            assert np.isfinite(analysis.gap("residual", "centred")).all()
    summary = ch01.summarise(results)
    assert summary and all(np.isfinite(v) for v in summary.values() if isinstance(v, float))


# --------------------------------------------------------------------------- minimal pairs


def _pair_rows() -> list[dict[str, str]]:
    return [
        {"sentence_good": g, "sentence_bad": b, "phenomenon": para, "lang": lang}
        for g, b, para, lang in [
            ("The dogs bark.", "The dogs barks.", "agreement", "en"),
            ("The dog barks.", "The dog bark.", "agreement", "en"),
            ("The cats sleep.", "The cats sleeps.", "agreement", "en"),
            ("She has eaten.", "She has ate.", "participle", "en"),
            ("He has gone.", "He has went.", "participle", "en"),
            ("He has seen it.", "He has saw it.", "participle", "en"),
            ("猫が魚を食べた。", "猫を魚が食べた。", "case", "ja"),
            ("犬が骨を埋めた。", "犬を骨が埋めた。", "case", "ja"),
            ("鳥が虫を捕まえた。", "鳥を虫が捕まえた。", "case", "ja"),
        ]
    ]


PAIR_MAPPING = {
    "good": "sentence_good",
    "bad": "sentence_bad",
    "paradigm": "phenomenon",
    "language": "lang",
}


def test_minimal_pair_table_with_a_mapping(tmp_path):
    path = str(write_table(tmp_path / "pairs.csv", _pair_rows()))
    assert data.available_paradigms(path, PAIR_MAPPING) == (
        "pairs/agreement",
        "pairs/participle",
        "pairs/case",
    )
    pairs = data.load_minimal_pairs([path], None, 2, seed=0, columns=PAIR_MAPPING)
    assert len(pairs) == 6 and pairs.paradigms == [
        "pairs/agreement",
        "pairs/participle",
        "pairs/case",
    ]
    table = {(r["sentence_good"], r["sentence_bad"]) for r in _pair_rows()}
    assert set(zip(pairs.good, pairs.bad)) <= table
    assert data.paradigm_languages([path], PAIR_MAPPING)["pairs/case"] == "ja"
    with pytest.raises(
        DataError, match=r"pairs\.csv lacks the column\(s\) 'good', 'bad', 'paradigm'"
    ):
        data.available_paradigms(path)


def test_minimal_pair_tables_in_chapters_4_and_6(tmp_path):
    path = str(write_table(tmp_path / "pairs.jsonl", _pair_rows()))
    p4 = ch04.Parameters(
        PAIR_SOURCES=[path], PAIR_COLUMNS=PAIR_MAPPING, N_PAIRS_PER_PARADIGM=10, MIN_PAIRS=4
    )
    assert p4.describe_data()[0]["files"]["pairs.jsonl"]
    p6 = ch06.Parameters(PAIR_SOURCES=[path], PAIR_COLUMNS=PAIR_MAPPING)
    bench = ch06.load_benchmarks(p6)
    assert sorted(bench) == ["en", "ja"] and len(bench["ja"]) == 3
    assert ch06.benchmark_name(bench["ja"]) == "pairs"
    no_language = {k: v for k, v in PAIR_MAPPING.items() if k != "language"}
    # chapter 6 scores one benchmark per language: a table must say each pair's language
    with pytest.raises(ValueError, match="pairs.jsonl has 9 pair.s. with no language"):
        ch06.Parameters(PAIR_SOURCES=[path], PAIR_COLUMNS=no_language).validate()


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (
            lambda rows: rows[1].update(sentence_bad=rows[1]["sentence_good"]),
            "row 2 has the same good and bad sentence",
        ),
        (lambda rows: rows.append(dict(rows[0])), "the pair of row 10 repeats row 1"),
        (lambda rows: rows[4].update(phenomenon=""), "row 5 has an empty paradigm"),
    ],
)
def test_bad_minimal_pair_tables_fail_with_their_row(tmp_path, edit, message):
    rows = _pair_rows()
    edit(rows)
    path = str(write_table(tmp_path / "pairs.tsv", rows))
    with pytest.raises(DataError, match=re.escape(message)):
        data.check_pair_sources("PAIR_SOURCES", [path], PAIR_MAPPING)

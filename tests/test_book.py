"""Parameters, profiles and the command line (no model is loaded here)."""

import subprocess
import sys

import pytest

from neuron_utils import book, params


def test_parse_value():
    assert book.parse_value('["ko","it"]') == ["ko", "it"]
    assert book.parse_value("300") == 300
    assert book.parse_value("['ja']") == ["ja"]
    assert book.parse_value("mean") == "mean"


def test_default_parameters_come_from_the_parameters_cell():
    defaults = book.default_parameters("01")
    assert defaults["L2_LANGUAGES"] == ["ja", "nl", "ko", "it"] and defaults["PROFILE"] == "quick"


def test_profiles_and_overrides():
    paper = book.resolve_parameters("01", "paper") if _mirror() else None
    if paper:
        assert paper["DATA_SOURCE"] == "tatoeba" and paper["N_PAIRS"] == 2000
    quick = book.resolve_parameters("01", "quick", {"L2_LANGUAGES": ["ko", "it"], "N_PAIRS": 150})
    assert quick["L2_LANGUAGES"] == ["ko", "it"] and quick["N_PAIRS"] == 150 and quick["PROFILE"] == "quick"


def _mirror():
    import os

    return bool(os.environ.get("NEURON_UTILS_DATA_MIRROR"))


@pytest.mark.parametrize("overrides,message", [
    ({"L2_LANGUAGES": ["ja", "xx"]}, "L2_LANGUAGES (of the bundled data) contains 'xx', which is not allowed; choose one of: ja, nl, ko, it, zh, fr, es"),
    ({"N_PAIRS": 5000}, "N_PAIRS=5000 is more than the bundled data has for en-ja: the derangement design allows at most 400"),
    ({"MODEL": "no/such-model"}, "not available offline. Allowed: 'gemma-3-270m'"),
    ({"POOLING": "max"}, "choose one of: last, mean, eos"),
    ({"DATA_SOURCE": "wiki"}, "choose one of: bundled, flores, tatoeba"),
    ({"CV_FOLDS": 1}, "CV_FOLDS=1 must be an integer in >= 2"),
    ({"N_PAIRS": "many"}, "N_PAIRS must be a int"),
    ({"N_PAIR": 10}, "has no parameter 'N_PAIR'; its parameters: PROFILE, MODEL"),
])
def test_bad_parameters_are_named(overrides, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)").replace(".", r"\.")):
        book.resolve_parameters("01", "quick", overrides)


def test_unknown_chapter_and_profile():
    with pytest.raises(ValueError, match="unknown chapter '99'; available: 01"):
        book.resolve_parameters("99")
    with pytest.raises(ValueError, match="choose one of: quick, paper"):
        book.resolve_parameters("01", "full")


def test_site_validation():
    with pytest.raises(ValueError, match="choose one of: residual, attn, mlp, neurons, gate"):
        params.validate({"SITE": "ffn"})


def _cli(*args):
    return subprocess.run([sys.executable, "-m", "neuron_utils", *args], capture_output=True, text=True, timeout=120)


def test_cli_help_explains_everything():
    out = _cli("--help")
    assert out.returncode == 0
    for needle in ("run", "build", "list", "--profile paper", "-p L2_LANGUAGES", "NEURON_UTILS_DATA_MIRROR"):
        assert needle in out.stdout


def test_cli_rejects_bad_parameters_before_running():
    out = _cli("run", "01", "-p", "L2_LANGUAGES", '["ko","xx"]', "--no-build")
    assert out.returncode == 2 and "contains 'xx', which is not allowed; choose one of: ja, nl" in out.stderr


def test_cli_list():
    out = _cli("list")
    assert out.returncode == 0 and "01  01_cross_lingual_similarity.py" in out.stdout and "N_PAIRS = 200" in out.stdout

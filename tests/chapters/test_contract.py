"""Every chapter holds the chapter contract (neuron_utils.book.contract), and the contract
check names what a chapter lacks."""

import json
import re
from pathlib import Path
from types import SimpleNamespace

import pytest

from neuron_utils import book
from neuron_utils.book import contract
from neuron_utils.chapters.findings_claims import CLAIMS
from neuron_utils.core.paths import paper_results_dir
from neuron_utils.chapters import ch05_shared_neurons as ch05


@pytest.mark.parametrize("chapter", sorted(book.chapters()))
def test_every_chapter_holds_the_contract(chapter):
    assert contract.problems(chapter) == []


def test_the_contract_names_what_a_chapter_lacks():
    source = book.chapter_source("05").read_text()
    toc = "file: book/chapters/05_shared_neurons\n"
    assert contract.problems_of(ch05, "05", "05_shared_neurons", source, toc) == []
    # a module without its functions
    assert contract.problems_of(SimpleNamespace(Parameters=ch05.Parameters), "05", "x", "", "") == [
        "the module has no analyse, summarise"
    ]

    class Wrong(ch05.Parameters):
        CHAPTER = "09"
        TINY = {"N_SENTENCES": 4, "NO_SUCH": 1}
        GOLDEN = None
        FIGURES = -1

    module = SimpleNamespace(Parameters=Wrong, analyse=lambda p: p, summarise=ch05.summarise)
    found = contract.problems_of(module, "05", "05_other", source.replace("## Exercises", ""), "")
    assert found == [
        "_toc.yml does not list book/chapters/05_other",
        "Parameters.CHAPTER is '09', not '05'",
        "analyse() takes 1 arguments without defaults, not 2",
        "TINY names parameters that do not exist: NO_SUCH",
        "FIGURES must be a count of figures, got -1",
        "a measuring chapter declares TINY (smoke sizes) and GOLDEN (golden sizes)",
        "the notebook lacks the section '## Exercises'",
    ]


GOLDEN = Path(__file__).resolve().parents[1] / "golden"


def parameter_names(chapter: str) -> set[str]:
    """The chapter's parameter names (the prose quotes a kept run's parameters too)."""
    return set(book.chapter_module(chapter).Parameters.names())


class Recording(dict):
    """A summary that remembers which keys were read."""

    def __init__(self, *args):
        super().__init__(*args)
        self.read = set()

    def __getitem__(self, key):
        self.read.add(key)
        return super().__getitem__(key)

    def get(self, key, default=None):
        self.read.add(key)
        return super().get(key, default)


@pytest.mark.parametrize(
    "chapter", sorted(c for c in book.chapters() if (GOLDEN / f"{c}.json").exists())
)
def test_every_summary_key_is_declared_with_its_unit(chapter):
    """The golden summary's keys, the kept paper-size summary's keys and every key the findings
    rules and texts read all match a pattern of the chapter's ``units`` declaration."""
    golden = json.loads((GOLDEN / f"{chapter}.json").read_text())
    assert contract.undeclared_keys(golden) == []
    units = golden["units"]
    for path in sorted(paper_results_dir().glob(f"{chapter}_*.json")):
        kept = json.loads(path.read_text())["summary"]
        assert contract.undeclared_keys({**kept, "units": units}) == [], path.name
    # every number the prose quotes (the kept runs' under their profile's prefix)
    glued = re.findall(
        r"\{glue:(?:text|md)\}`([A-Za-z0-9_]+)", book.chapter_source(chapter).read_text()
    )
    quoted = {re.sub(r"^paper_(lite_)?", "", key): None for key in glued}
    kept_extra = {"date", "commit", "wall_min", "wall_s", "note", "data", "machine"}  # provenance
    quoted = {
        k: v for k, v in quoted.items() if k not in kept_extra and k not in parameter_names(chapter)
    }
    assert contract.undeclared_keys({**quoted, "units": units}) == [], "the prose"
    for claim in (c for c in CLAIMS if c.chapter == chapter and c.rule is not None):
        summary = Recording(golden)
        try:
            claim.rule(summary)
            claim.measured.format_map(summary)
            claim.baseline.format_map(summary)
        except (KeyError, ValueError, TypeError):
            pass  # a tiny run may lack what a rule reads; what it read so far is checked
        read = {key: None for key in summary.read if key in golden}
        assert contract.undeclared_keys({**read, "units": units}) == [], claim.id

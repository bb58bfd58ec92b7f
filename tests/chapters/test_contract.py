"""Every chapter holds the chapter contract (neuron_utils.book.contract), and the contract
check names what a chapter lacks."""

import json
import re
from types import SimpleNamespace

import pytest

from neuron_utils import book
from neuron_utils.book import contract, registry
from neuron_utils.core.paths import paper_results_dir
from neuron_utils.kit.spec import ChapterSpec
from neuron_utils.kit.summary import SCHEMA_VERSION
from neuron_utils.chapters import ch05_shared_neurons as ch05


@pytest.mark.parametrize("chapter", sorted(book.chapters()))
def test_every_chapter_holds_the_contract(chapter):
    assert contract.problems(chapter) == []


def test_a_spec_checks_itself():
    with pytest.raises(ValueError, match="figures must be a count of figures, got -1"):
        ChapterSpec(tiny={"N": 1}, golden={}, figures=-1)
    with pytest.raises(ValueError, match="a measuring chapter declares tiny"):
        ChapterSpec(tiny={}, golden={})
    with pytest.raises(ValueError, match="a chapter that measures nothing has no golden"):
        ChapterSpec(keeps_results=False, golden={})
    with pytest.raises(ValueError, match="quick_cold_s maps bfloat16, float32"):
        ChapterSpec(tiny={"N": 1}, golden={}, quick_cold_s={"float64": 3})


def test_the_contract_names_what_a_chapter_lacks():
    source = book.chapter_source("05").read_text()
    toc = "file: book/chapters/05_shared_neurons\n"
    assert contract.problems_of(ch05, "05", "05_shared_neurons", source, toc) == []
    # a module without its functions
    assert contract.problems_of(SimpleNamespace(Parameters=ch05.Parameters), "05", "x", "", "") == [
        "the module has no SPEC, SUMMARY, analyse, summarise"
    ]

    class Wrong(ch05.Parameters):
        CHAPTER = "09"

    spec = ChapterSpec(tiny={"N_SENTENCES": 4, "NO_SUCH": 1}, golden={})
    module = SimpleNamespace(
        Parameters=Wrong,
        SPEC=spec,
        SUMMARY=ch05.SUMMARY,
        analyse=lambda p: p,
        summarise=ch05.summarise,
    )
    found = contract.problems_of(module, "05", "05_other", source.replace("## Exercises", ""), "")
    assert found == [
        "_toc.yml does not list book/chapters/05_other",
        "Parameters.CHAPTER is '09', not '05'",
        "analyse() takes 1 arguments without defaults, not 2",
        "SPEC.tiny names parameters that do not exist: NO_SUCH",
        "the notebook lacks the section '## Exercises'",
    ]


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
    "chapter", sorted(c for c in book.chapters() if registry.golden_path(c).exists())
)
def test_every_summary_key_is_declared_with_its_unit(chapter):
    """The golden summary's keys, the kept paper-size summary's keys and every key the findings
    rules and texts read are declared on the chapter's ``SUMMARY``, each value of its declared
    kind; every name the prose glues is declared too."""
    module = book.chapter_module(chapter)
    declaration = module.SUMMARY
    golden = declaration.decode(json.loads(registry.golden_path(chapter).read_text()))
    assert declaration.problems(golden) == []
    for path in sorted(paper_results_dir().glob(f"{chapter}_*.json")):
        kept = json.loads(path.read_text())
        assert kept.get("schema") == SCHEMA_VERSION, path.name
        assert declaration.problems(declaration.decode(kept["summary"])) == [], path.name
    # every value the prose quotes (the kept runs' under their profile's prefix; an interval's
    # ends as name.low and name.high)
    glued = re.findall(
        r"\{glue:(?:text|md)\}`([A-Za-z0-9_]+)", book.chapter_source(chapter).read_text()
    )
    quoted = {re.sub(r"^paper_(lite_)?", "", key) for key in glued}
    kept_extra = {"date", "commit", "wall_min", "wall_s", "note", "data", "machine"}  # provenance
    quoted -= kept_extra | parameter_names(chapter)
    assert [k for k in sorted(quoted) if declaration.entry(k) is None] == [], "the prose"
    for claim in module.CLAIMS:  # what the findings' take-aways quote is declared here
        assert [k for k in claim.quotes if declaration.entry(k) is None] == [], claim.id
    for claim in (c for c in module.CLAIMS if c.rule is not None):
        summary = Recording(golden)
        try:
            claim.rule(summary)
            claim.measured.format_map(summary)
            claim.baseline.format_map(summary)
        except (KeyError, ValueError, TypeError, AttributeError):
            pass  # a tiny run may lack what a rule reads; what it read so far is checked
        read = {key: golden[key] for key in summary.read if key in golden}
        assert declaration.problems(read) == [], claim.id

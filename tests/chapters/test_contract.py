"""Every chapter holds the chapter contract (neuron_utils.book.contract), and the contract
check names what a chapter lacks."""

from types import SimpleNamespace

import pytest

from neuron_utils import book
from neuron_utils.book import contract
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

"""What a chapter's ``claims.py`` builds on: a seed's claim, how this book judges it, its verdict.

A rule is written from the paper's claim, before looking at this model's numbers: a claim
*reproduces* when this book measures the effect the paper states (direction and, where the
paper gives one, its rough size) beyond the chapter's baseline; *partly* when the direction
holds but not the size, or only in part of the conditions; *does not* otherwise. A rule reads
the chapter's typed summary (:mod:`.summary`): intervals as :class:`~neuron_utils.methods.bootstrap.Interval`,
comparisons as :class:`~neuron_utils.methods.bootstrap.Comparison`, never words.

Each claim carries its test cases (:class:`Case`): a summary that should give a verdict, so
that a rule is seen both to pass and to fail on realistic numbers.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from ..methods.bootstrap import Comparison

Summary = Mapping[str, Any]

TEZUKA = "Tezuka & Inoue"
TANG = "Tang et al."
SATO = "Sato et al."
WANG = "Wang et al."
SEEDS = (TEZUKA, TANG, SATO, WANG)


class Verdict(Enum):
    """A claim's verdict on one recorded summary (stored and compared by value)."""

    REPRODUCES = "reproduces"
    PARTLY = "partly"
    DOES_NOT = "does not"
    NOT_TESTABLE = "not testable on this model"
    NOT_RUN = "not run"
    NOT_RECORDED = "not recorded"

    @property
    def judged(self) -> bool:
        """One of the three verdicts a rule gives on a summary it can judge."""
        return self in (Verdict.REPRODUCES, Verdict.PARTLY, Verdict.DOES_NOT)

    @property
    def slug(self) -> str:
        """The verdict as part of a summary key: ``does_not``, ``not_testable``."""
        return self.name.lower()

    def __str__(self) -> str:
        return self.value


def grade(full: bool, part: bool) -> Verdict:
    """``reproduces`` when ``full``, ``partly`` when only ``part``, else ``does not``."""
    if full:
        return Verdict.REPRODUCES
    return Verdict.PARTLY if part else Verdict.DOES_NOT


def below(comparison: Comparison) -> bool:
    """A recorded comparison says "below" its baseline (a typed value, never its words)."""
    if not isinstance(comparison, Comparison):
        raise TypeError(f"a comparison is a Comparison, not {type(comparison).__name__}")
    return comparison is Comparison.BELOW


Rule = Callable[[Summary], Verdict]


@dataclass(frozen=True)
class Case:
    """A rule's test case: ``summary`` should give ``expected``; ``why`` says what it tries."""

    summary: Summary
    expected: Verdict
    why: str = ""


@dataclass(frozen=True)
class Claim:
    """One claim of a seed and how this book judges it (build it with keyword arguments).

    ``measured`` and ``baseline`` are format strings over the chapter's summary (an interval's
    ends are ``{name.low}``, ``{name.high}``; a missing key means the summary predates the
    measurement); ``rule`` maps a summary to a :class:`Verdict` (None: not testable here,
    ``reason`` says why) and ``rule_text`` says the same in words; ``variant`` is a choice the
    paper leaves open: (what the other choice is, the rule under it), the row shows both;
    ``cases`` are the rule's test cases; ``quotes`` makes the claim a take-away of the findings
    page, with the summary keys it quotes.
    """

    id: str
    seed: str
    where: str
    statement: str
    section: str
    rule_text: str
    reason: str
    measured: str = ""
    baseline: str = ""
    rule: Rule | None = None
    variant: tuple[str, Rule] | None = None
    cases: tuple[Case, ...] = field(default=(), repr=False)
    # a take-away of the findings page: the summary keys its prose quotes with this claim's
    # verdict (taken from the summary that gives the claim its headline verdict)
    quotes: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.seed not in SEEDS:
            raise ValueError(f"{self.id}: unknown seed {self.seed!r}; one of {', '.join(SEEDS)}")
        if self.rule is not None and len({case.expected for case in self.cases}) < 2:
            raise ValueError(f"{self.id}: a rule comes with test cases of two verdicts or more")

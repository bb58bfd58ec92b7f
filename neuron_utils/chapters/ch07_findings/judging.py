"""Reading the chapters' recorded and kept summaries, and judging every claim on each."""

from __future__ import annotations

import json
from dataclasses import dataclass, fields
from pathlib import Path
from types import ModuleType
from typing import Any

import pandas as pd

from ...core.paths import paper_results_dir, results_dir
from ...kit.claims import Claim, Verdict
from ...kit.parameters import differences_text
from ...kit.record import chapter_number
from ...kit.summary import SCHEMA_VERSION, Declaration
from .parameters import Parameters


KEPT_PROFILES = ("paper", "paper-lite")  # the larger first: the findings show the largest kept

COLUMNS = ("quick", "paper size")  # the second: the largest size run on the papers' data

# size parameters that are not data sizes (draws and permutations of the analysis)
_NOT_DATA_SIZES = ("SEEDS", "PERMUTATIONS")


@dataclass(frozen=True)
class Recorded:
    """One chapter's recorded summary: its profile, parameters, summary (typed through the
    chapter's declaration) and provenance (kept paper-size results only)."""

    chapter: ModuleType
    profile: str
    parameters: dict[str, Any]
    summary: dict[str, Any]
    provenance: dict[str, Any] | None = None
    differences: dict[str, Any] | None = None  # from its profile (None: not recorded)

    @classmethod
    def read(cls, path: Path, chapter: ModuleType) -> tuple[Recorded | None, str]:
        """The summary at ``path``, or None with why: the file is not a readable record
        (damaged), or was written before summaries were typed (``SCHEMA_VERSION``)."""
        try:
            payload = json.loads(path.read_text())
        except (OSError, ValueError):
            return None, "record unreadable"
        if not {"chapter", "parameters", "summary"} <= set(payload):
            return None, "record unreadable"
        if payload.get("schema") != SCHEMA_VERSION:
            return None, "recorded by an older version of the book"
        declaration = getattr(chapter, "SUMMARY", None) or Declaration()
        recorded = cls(
            chapter,
            payload["parameters"]["PROFILE"],
            payload["parameters"],
            declaration.decode(payload["summary"]),
            payload.get("provenance"),
            payload.get("differences"),
        )
        return recorded, ""


def page(chapter: ModuleType) -> str:
    """The name of a chapter's page, ``01_cross_lingual_similarity``."""
    return chapter.__name__.rsplit(".", 1)[-1][2:]


def read_quick(chapter: ModuleType) -> tuple[Recorded | None, str]:
    """The chapter's recorded quick-profile summary, or None with the reason."""
    path = results_dir() / f"{chapter_number(chapter)}.json"
    if not path.exists():
        return None, "not run"
    recorded, why = Recorded.read(path, chapter)
    if recorded is None:
        return None, f"{why}: run the chapter again"
    if recorded.profile != "quick":
        return None, f"last run at {recorded.profile}"
    differences = recorded_differences(recorded)
    if differences:  # its numbers are not the quick profile's: not graded
        return None, f"custom run ({differences_text(differences)})"
    return recorded, ""


def recorded_differences(recorded: Recorded) -> dict[str, Any]:
    """The parameters in which a recorded run differs from its profile (as the record says;
    a record from before records said so: computed from its parameters)."""
    if recorded.differences is not None:
        return recorded.differences
    return recorded.chapter.Parameters(**recorded.parameters).differences()


def read_kept(chapter: ModuleType) -> tuple[Recorded | None, str]:
    """The chapter's kept paper-size summary (``paper`` before ``paper-lite``), or None."""
    for profile in KEPT_PROFILES:
        path = paper_results_dir() / f"{chapter_number(chapter)}_{profile}.json"
        if path.exists():
            recorded, why = Recorded.read(path, chapter)
            return (recorded, "") if recorded else (None, f"kept {profile} file: {why}")
    return None, "no paper-size run kept"


@dataclass(frozen=True)
class Judged:
    """A claim judged on one recorded summary: the verdict, the measured numbers and the
    baseline as text (or why there is none)."""

    verdict: Verdict
    measured: str
    baseline: str
    profile: str = ""  # of the summary judged
    size: str = ""  # the data size judged, as a share of the paper's (:func:`size_text`)
    variant: str = ""  # the verdict under the claim's variant choice, in words


def judge(claim: Claim, recorded: Recorded | None, missing: str) -> Judged:
    """``claim`` on ``recorded`` by its rule; ``missing`` says why there is no summary."""
    if claim.rule is None:
        return Judged(Verdict.NOT_TESTABLE, "", "")
    if recorded is None:
        return Judged(Verdict.NOT_RUN, missing, "")
    try:
        variant = ""
        if claim.variant is not None:
            label, rule = claim.variant
            variant = f"{rule(recorded.summary)} with {label}"
        return Judged(
            claim.rule(recorded.summary),
            claim.measured.format(**recorded.summary),
            claim.baseline.format(**recorded.summary) if claim.baseline else "",
            recorded.profile,
            size_text(recorded),
            variant,
        )
    except KeyError as err:  # a summary recorded before the key existed
        return Judged(Verdict.NOT_RECORDED, f"not recorded at this size ({err.args[0]})", "")


def size_text(recorded: Recorded) -> str:
    """The data size of a recorded run as a share of the paper's, as the chapter's ``paper``
    profile sets it: each data-size parameter (``N_*``, not draws or permutations) that differs
    from that profile, as ``N_PAIRS 300 of 2,000 (15 %)``; "the paper profile's sizes" where
    none differs, "bundled data" on quick (other data: no share)."""
    if recorded.profile == "quick":
        return "quick: bundled data"
    parameters = recorded.chapter.Parameters  # its declared paper sizes
    paper = {**{f.name: f.default for f in fields(parameters)}, **parameters.PAPER}
    shares = [
        f"{name} {value:,} of {paper[name]:,} ({100 * value / paper[name]:.0f} %)"
        for name, value in recorded.parameters.items()
        if name.startswith("N_")
        and not any(word in name for word in _NOT_DATA_SIZES)
        and isinstance(value, int)
        and isinstance(paper.get(name), int)
        and value != paper[name]
    ]
    return f"{recorded.profile}: " + ("; ".join(shares) if shares else "the paper profile's sizes")


def headline(quick: Judged, paper: Judged) -> tuple[str, str]:
    """The verdict a row shows, and the profile it comes from: the largest size run on the
    papers' data where it was judged, else quick."""
    if paper.verdict.judged:
        return paper.verdict, paper.profile
    if quick.verdict.judged or quick.verdict is Verdict.NOT_TESTABLE:
        return quick.verdict, "quick"
    return quick.verdict, ""


@dataclass
class Results:
    parameters: Parameters
    chapters: dict[str, ModuleType]  # number -> chapter package, every chapter of the book
    quick: dict[str, tuple[Recorded | None, str]]  # chapter -> recorded quick summary, or why not
    kept: dict[str, tuple[Recorded | None, str]]  # chapter -> kept paper-size summary, or why not
    rows: pd.DataFrame  # one row per claim (:func:`judge_all`)


def claims_of(chapters: dict[str, ModuleType]) -> list[tuple[str, Claim]]:
    """``(chapter number, claim)`` for every claim the chapters hold (their ``CLAIMS``)."""
    return [
        (n, claim) for n, chapter in chapters.items() for claim in getattr(chapter, "CLAIMS", ())
    ]


def judge_all(
    claims: list[tuple[str, Claim]],
    quick: dict[str, tuple[Recorded | None, str]],
    kept: dict[str, tuple[Recorded | None, str]],
) -> pd.DataFrame:
    """One row per claim: seed, where, claim, chapter, section, both judgements, the headline
    verdict and its size, the rule and the reason."""
    rows = []
    for chapter, claim in claims:
        on_quick = judge(claim, *quick[chapter])
        on_paper = judge(claim, *kept[chapter])
        verdict, size = headline(on_quick, on_paper)
        rows.append(
            {
                "id": claim.id,
                "seed": claim.seed,
                "where": claim.where,
                "claim": claim.statement,
                "chapter": chapter,
                "section": claim.section,
                "quick": on_quick,
                "paper size": on_paper,
                "verdict": verdict,
                "verdict from": size,
                "rule": claim.rule_text,
                "reason": claim.reason,
            }
        )
    return pd.DataFrame(rows)


def analyse(p: Parameters, chapters: dict[str, ModuleType]) -> Results:
    """Collect the claims of ``chapters`` (number -> package, as the registry lists them), read
    the recorded and kept summaries of those that hold claims and judge every claim on both."""
    claims = claims_of(chapters)
    with_claims = {n: chapters[n] for n in dict.fromkeys(n for n, _ in claims)}
    quick = {n: read_quick(c) for n, c in with_claims.items()}
    kept = {n: read_kept(c) for n, c in with_claims.items()}
    return Results(p, chapters, quick, kept, judge_all(claims, quick, kept))

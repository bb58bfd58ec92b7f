"""Chapter 7: the findings, claim by claim, from the chapters' recorded summaries.

Nothing is measured here. The notebook hands :func:`analyse` the book's chapters (from the
registry, :func:`neuron_utils.book.registry.modules`); it collects each chapter's claims
(its ``CLAIMS``), reads its recorded summary (``book/results/NN.json``, written by the
chapter's notebook) and its kept paper-size summary (``book/paper_results/NN_paper.json`` or
``NN_paper-lite.json``), both typed through the chapter's declaration, and judges every claim
on each by the claim's stated rule. A chapter that has not run, a run of
another profile, or a kept summary without a key the rule needs shows as such; no number is
typed by hand.
"""

from __future__ import annotations

import html
import json
from collections import Counter
from dataclasses import dataclass, fields
from pathlib import Path
from types import ModuleType
from typing import Any, ClassVar

import pandas as pd

from ...kit.spec import ChapterSpec
from ...kit.parameters import ChapterParameters, differences_text
from ...core.paths import paper_results_dir, results_dir
from ...kit.claims import SEEDS, Claim, Verdict
from ...kit.summary import Declaration

KEPT_PROFILES = ("paper", "paper-lite")  # the larger first: the findings show the largest kept
COLUMNS = ("quick", "paper size")  # the second: the largest size run on the papers' data
# size parameters that are not data sizes (draws and permutations of the analysis)
_NOT_DATA_SIZES = ("SEEDS", "PERMUTATIONS")


@dataclass(frozen=True)
class Parameters(ChapterParameters):
    """Chapter 7 has no parameters of its own: it reads what the other chapters recorded."""

    CHAPTER: ClassVar[str] = "07"


# the harness's settings for this chapter (smoke and golden sizes, figures, cost)
SPEC = ChapterSpec(
    keeps_results=False,
    reads_recorded_results=True,
    figures=0,
    quick_cold_s={"bfloat16": 11, "float32": 10},
)


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
    def read(cls, path: Path, chapter: ModuleType) -> Recorded | None:
        """The summary at ``path``; None if the file is not a readable record (damaged)."""
        try:
            payload = json.loads(path.read_text())
        except (OSError, ValueError):
            return None
        if not {"chapter", "parameters", "summary"} <= set(payload):
            return None
        declaration = getattr(chapter, "SUMMARY", None) or Declaration()
        return cls(
            chapter,
            payload["parameters"]["PROFILE"],
            payload["parameters"],
            declaration.decode(payload["summary"]),
            payload.get("provenance"),
            payload.get("differences"),
        )


def number(chapter: ModuleType) -> str:
    """``neuron_utils.chapters.ch01_cross_lingual_similarity`` -> ``"01"``."""
    return chapter.__name__.rsplit(".", 1)[-1][2:4]


def page(chapter: ModuleType) -> str:
    """The name of a chapter's page, ``01_cross_lingual_similarity``."""
    return chapter.__name__.rsplit(".", 1)[-1][2:]


def read_quick(chapter: ModuleType) -> tuple[Recorded | None, str]:
    """The chapter's recorded quick-profile summary, or None with the reason."""
    path = results_dir() / f"{number(chapter)}.json"
    if not path.exists():
        return None, "not run"
    recorded = Recorded.read(path, chapter)
    if recorded is None:
        return None, "record unreadable: run the chapter again"
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
        path = paper_results_dir() / f"{number(chapter)}_{profile}.json"
        if path.exists():
            recorded = Recorded.read(path, chapter)
            return (recorded, "") if recorded else (None, f"kept {profile} file unreadable")
    return None, "no paper-size run kept"


# --------------------------------------------------------------------------- judging


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


def verdict_counts(rows: pd.DataFrame) -> dict[str, Counter]:
    """Claims per verdict: the headline verdict, and on each column (:data:`COLUMNS`) alone."""
    return {
        "headline": Counter(rows["verdict"]),
        **{column: Counter(j.verdict for j in rows[column]) for column in COLUMNS},
    }


def summarise(results: Results) -> dict[str, Any]:
    """Counts of verdicts (the headline verdict of each claim, and per column), the claims of
    each verdict, and the chapters with and without recorded summaries."""
    rows = results.rows
    counts = verdict_counts(rows)
    out: dict[str, Any] = {"n_claims": len(rows)}
    for verdict in Verdict:
        slug = verdict.slug
        out[f"n_{slug}"] = counts["headline"].get(verdict, 0)
        for column in COLUMNS:
            out[f"n_{slug}_{column.replace(' ', '_')}"] = counts[column].get(verdict, 0)
        ids = list(rows.loc[rows["verdict"] == verdict, "id"])
        out[f"claims_{slug}"] = ", ".join(ids) if ids else "none"
    out["n_judged_on_paper_size"] = int(rows["verdict from"].isin(KEPT_PROFILES).sum())
    missing_quick = [c for c, (r, _) in results.quick.items() if r is None]
    missing_kept = [c for c, (r, _) in results.kept.items() if r is None]
    out["chapters_not_run"] = ", ".join(missing_quick) if missing_quick else "none"
    out["chapters_without_paper_size"] = ", ".join(missing_kept) if missing_kept else "none"
    by_id = rows.set_index("id")
    for claim_id, keys in TAKEAWAYS.items():
        slug = claim_id.replace("-", "_")
        out[f"verdict_{slug}"] = by_id.loc[claim_id, "verdict"].value
        column = by_id.loc[claim_id, "verdict from"]
        chapter = by_id.loc[claim_id, "chapter"]
        recorded = (results.kept if column in KEPT_PROFILES else results.quick)[chapter][0]
        for key in keys:  # "n/a": no summary, or one recorded before the key existed
            value = recorded.summary.get(key, "n/a") if recorded else "n/a"
            # text, so that the prose needs no number format that "n/a" would break
            out[f"takeaway_{key}"] = _as_text(key, value)
        out[f"takeaway_{slug}_from"] = column or "no run"
    return out


def _as_text(key: str, value: Any) -> str:
    """A quoted value as text: numbers with two decimals, changes (``delta_*``, ``*_minus_*``)
    with three and their sign, anything else as it is."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    return f"{value:+.3f}" if key.startswith("delta") or "minus" in key else f"{value:.2f}"


# the claims behind the page's three take-aways, and the numbers the prose quotes with them
# (from the summary that gives the claim its headline verdict)
TAKEAWAYS = {
    "ti-fig7": ("cv_concat_cross_corpus_mean", "cv_l1_only_cross_corpus_mean"),
    "ti-table1": ("delta_en_different", "different_minus_magnitude_en"),
    "tang-steering": (
        "steer_winner",
        "steer_success_swap",
        "steer_success_lape",
        "steer_success_diffmean",
    ),
}


# --------------------------------------------------------------------------- tables


def _cell(judged: Judged) -> str:
    text = html.escape(judged.measured) if judged.measured else ""
    if judged.verdict.judged:
        variant = f"; {html.escape(judged.variant)}" if judged.variant else ""
        size = f"<br><small>{html.escape(judged.size)}</small>" if judged.size else ""
        return f"{text}<br><em>{html.escape(judged.verdict.value)}</em>{variant}{size}"
    return f"<em>{html.escape(judged.verdict.value if not text else text)}</em>"


def findings_table(results: Results, seed: str) -> str:
    """The claims of ``seed`` as an HTML table: per claim, a row with the claim (linked to the
    section that measures it), the numbers on quick and at paper size with their verdicts and
    the headline verdict; under it, a full-width row with the baseline, the rule and the reason
    for a difference (seven columns do not fit the page)."""
    pages = {n: page(c) for n, c in results.chapters.items()}
    rows = results.rows[results.rows["seed"] == seed]
    body = []
    for _, row in rows.iterrows():
        link = f"{pages.get(row['chapter'], row['chapter'])}.html#{_anchor(row['section'])}"
        baseline = row["paper size"].baseline or row["quick"].baseline
        verdict = f"<strong>{html.escape(row['verdict'].value)}</strong>"
        if row["verdict from"]:
            verdict += f"<br><small>({html.escape(row['verdict from'])})</small>"
        details = [("Rule", row["rule"]), ("Why it may differ", row["reason"])]
        if baseline:
            details.insert(0, ("Baseline", baseline))
        body.append(
            '<tr style="border-top: 1px solid #bbb; vertical-align: top">'
            f"<td><strong>{html.escape(row['where'])}</strong>: {html.escape(row['claim'])}"
            f'<br><small><a href="{link}">chapter {int(row["chapter"])}: '
            f"{html.escape(row['section'])}</a></small></td>"
            f"<td>{_cell(row['quick'])}</td>"
            f"<td>{_cell(row['paper size'])}</td>"
            f"<td>{verdict}</td>"
            "</tr>"
            '<tr style="vertical-align: top"><td colspan="4" style="padding-bottom: 0.9em">'
            "<small>"
            + " ".join(
                f"<strong>{name}:</strong> {html.escape(text)}"
                + ("" if text.endswith(".") else ".")
                for name, text in details
            )
            + "</small></td></tr>"
        )
    head = (
        '<th style="width: 34%">claim</th><th style="width: 26%">this book, quick</th>'
        '<th style="width: 26%">this book, largest size run</th>'
        '<th style="width: 14%">verdict</th>'
    )
    return (
        '<table class="findings" style="width: 100%; font-size: 0.88em">'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
    )


def _anchor(section: str) -> str:
    """The HTML id Sphinx gives a section with this title."""
    from docutils.nodes import make_id

    return make_id(section)


def verdict_counts_table(results: Results) -> pd.DataFrame:
    """Claims per verdict: the headline verdict, and on each column alone."""
    table = pd.DataFrame(verdict_counts(results.rows))
    table = table.reindex([v for v in Verdict if v in table.index]).fillna(0).astype(int)
    table.index = [v.value for v in table.index]
    table.index.name = "verdict"
    return table.rename(columns={"paper size": "largest size run"})


def provenance_table(results: Results) -> pd.DataFrame:
    """Where each chapter's numbers come from: the quick run's state, and the kept paper-size
    run's profile, sizes, commit, date, wall time and machine."""
    rows = {}
    for chapter in results.quick:
        quick, why_quick = results.quick[chapter]
        kept, why_kept = results.kept[chapter]
        row = {"quick": "recorded" if quick else why_quick}
        if kept is None:
            row.update({"largest size run": why_kept})
        else:
            prov = kept.provenance or {}
            machine = prov.get("machine", {})
            row.update(
                {
                    "largest size run": kept.profile,
                    "sizes": size_text(kept).split(": ", 1)[1],
                    "commit": str(prov.get("commit", ""))[:8],
                    "date": prov.get("date", ""),
                    "wall (min)": prov.get("wall_min", ""),
                    "machine": f"{machine.get('cpu', '')}, {machine.get('cores available', '')} cores",
                }
            )
        rows[f"chapter {int(chapter)}"] = row
    return pd.DataFrame(rows).T.fillna("")


__all__ = ["SEEDS", "Parameters", "analyse", "summarise"]

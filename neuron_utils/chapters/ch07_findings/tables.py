"""The findings page's tables: per seed, the verdict counts, where the numbers come from."""

from __future__ import annotations

import html

import pandas as pd

from ...kit.claims import Verdict
from .judging import Judged, Results, page, size_text
from .summary import verdict_counts


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

"""Chapter 1: what its smoke run records."""

import pytest

pytestmark = pytest.mark.smoke


def test_chapter_01_summary(smoke):
    summary = smoke("01").results["summary"]
    assert [row["L2"] for row in summary["per_l2"]] == ["ja", "it"]
    assert len(summary["retrieval_per_layer"]["ja"]) == 18
    assert summary["retrieval_chance"] == 1 / 24
    assert 0 <= summary["centred_gap_peak_layer"] < 18
    assert set(summary["cv_per_layer"]) == {
        f"{l2} {d} {f}"
        for l2 in ("ja", "it")
        for d in ("derangement", "disjoint")
        for f in ("concat", "interaction")
    }

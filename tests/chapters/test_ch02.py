"""Chapter 2: what its smoke run records."""

import pytest

pytestmark = pytest.mark.smoke


def test_chapter_02_summary(smoke):
    summary = smoke("02").results["summary"]
    assert summary["n_top"] == round(0.01 * 18 * 2048)
    assert sum(summary["top_per_layer"]["it"]) == summary["n_top"]
    assert set(summary["score_variants"]) == {"none", "zero mean-of-abs top", "zero product top", "zero random (mean)"}

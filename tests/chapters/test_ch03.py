"""Chapter 3: what its smoke run records."""

import pytest

pytestmark = pytest.mark.smoke


def test_chapter_03_summary(smoke):
    summary = smoke("03").results["summary"]
    assert set(summary["per_language"]) == {"en", "fr", "ja"}
    assert set(summary["perplexity"]) == {"en", "fr", "ja"}  # evaluated languages
    assert set(summary["perplexity"]["fr"]) == {"none", "random", "en", "fr", "ja"}  # deactivated
    assert 0 < summary["n_selected"] <= round(0.01 * 18 * 2048)  # TOP_RATE of all neurons, minus filtered ones

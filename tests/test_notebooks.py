"""Static checks of the chapter sources (cheap; the smoke runs execute them)."""

import re

import pytest

from neuron_utils import book

USED = re.compile(r"\{glue:(?:text|md)\}`([A-Za-z0-9_]+)")
LITERAL = re.compile(r'glue\("([A-Za-z0-9_]+)"')
PATTERN = re.compile(r'glue\(f"([^"]+)"')


@pytest.mark.parametrize("chapter", sorted(book.chapters()))
def test_every_glued_name_in_the_prose_is_glued_in_the_same_chapter(chapter):
    source = book.chapter_source(chapter).read_text()
    defined = set(LITERAL.findall(source))
    patterns = [re.compile("^" + re.sub(r"\\\{[^}]*\\\}", ".+", re.escape(p)) + "$") for p in PATTERN.findall(source)]
    missing = [name for name in set(USED.findall(source)) if name not in defined and not any(p.match(name) for p in patterns)]
    assert not missing, f"chapter {chapter} uses glue names it never defines: {sorted(missing)}"


@pytest.mark.parametrize("chapter", sorted(book.chapters()))
def test_chapter_skeleton(chapter):
    source = book.chapter_source(chapter).read_text()
    for heading in ("## What we found here", "## Exercises", "## References"):
        assert heading in source, f"chapter {chapter} lacks '{heading}'"
    assert source.count('tags=["parameters"]') == 1
    assert "nu.book.start_chapter(globals())" in source.split("nu.load_model")[0]  # validated before loading

"""The post-build check flags what a reader must not see in the built pages."""

import pytest

from neuron_utils.book.postbuild import check_html
from neuron_utils.core.paths import cache_dir

CLEAN = "<html><body><p>The gap is 0.42.</p><table><tr><td>a</td></tr></table><pre>x | y</pre></body></html>"


@pytest.mark.parametrize(
    "body,problem",
    [
        ("<pre>&lt;matplotlib.legend.Legend at 0x7f3a2c1b90d0&gt;</pre>", "object repr"),
        (
            "<div>&lt;Figure size 640x480 with 1 Axes&gt; &lt;object object at 0x10&gt;</div>",
            "object repr",
        ),
        ("<p>| | |\n|---|---|\n| model | x |</p>", "Markdown table not rendered"),
        ("<pre>Traceback (most recent call last):\n  File ...</pre>", "traceback"),
        ("<td>/root/.cache/neuron_utils/models/gemma</td>", "machine path"),
        ("<td>/home/alice/book</td>", "machine path"),
        ("<em>root: Path = PosixPath('/srv/book')</em>", "object repr"),  # an autodoc default
    ],
)
def test_problems_are_flagged(tmp_path, body, problem):
    (tmp_path / "page.html").write_text(f"<html><body>{body}</body></html>")
    (tmp_path / "clean.html").write_text(CLEAN)
    found = check_html(tmp_path)
    assert len(found) == 1 and found[0].startswith(f"page.html: {problem}: ")


def test_the_cache_folder_is_flagged_wherever_it_is(tmp_path):
    (tmp_path / "page.html").write_text(f"<p>{cache_dir().resolve()}/activations</p>")
    assert check_html(tmp_path) == [
        f"page.html: machine path: the cache folder {cache_dir().resolve()}"
    ]


def test_sources_and_static_files_are_not_pages(tmp_path):
    for folder in ("_sources", "_static"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "x.html").write_text("Traceback (most recent call last)")
    (tmp_path / "clean.html").write_text(CLEAN)
    assert check_html(tmp_path) == []


def test_the_books_own_folder_is_flagged(tmp_path):
    html = tmp_path / "mybook" / "_build" / "html"
    html.mkdir(parents=True)
    (html / "api.html").write_text(f"<p>default: {tmp_path}/mybook/book/chapters</p>")
    assert check_html(html) == [
        f"api.html: machine path: the book's folder {(tmp_path / 'mybook').resolve()}"
    ]

"""Check the built HTML book as a reader sees it.

Flags what must never reach a page: an object repr (``<matplotlib.legend.Legend at 0x...>``),
Markdown table text that was not rendered as a table, a Python traceback, or a path of the
machine that built the book (a home folder, the cache root, the book's own folder: the API page
once showed a default path argument as a path object holding the builder's folder).
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from ..core.paths import cache_dir

PATTERNS = {
    "object repr": re.compile(r"<[\w.]+(?: object)? at 0x[0-9a-fA-F]+>|\b(?:Posix|Windows)Path\("),
    "Markdown table not rendered": re.compile(r"<p>\s*\|[^<]*\|"),
    "traceback": re.compile(r"Traceback \(most recent call last\)"),
    "machine path": re.compile(r"/root/|/home/[A-Za-z0-9_.-]+/|/Users/[A-Za-z0-9_.-]+/"),
}


def check_html(html_dir: Path) -> list[str]:
    """``"page: problem: excerpt"`` for every page of ``html_dir`` (``<book>/_build/html``) that
    shows one of the ``PATTERNS`` or the absolute path of the cache folder or of the book itself;
    empty when the book is clean."""
    found = []
    folders = {"the cache folder": str(cache_dir().resolve())}
    html_dir = Path(html_dir).resolve()
    if html_dir.parent.name == "_build":
        folders["the book's folder"] = str(html_dir.parents[1])
    for page in sorted(Path(html_dir).rglob("*.html")):
        if "_sources" in page.parts or "_static" in page.parts:
            continue
        raw = page.read_text(encoding="utf-8", errors="replace")
        text = html.unescape(re.sub(r"<script.*?</script>|<style.*?</style>", "", raw, flags=re.S))
        for problem, pattern in PATTERNS.items():
            source = raw if problem == "Markdown table not rendered" else text
            match = pattern.search(source)
            if match:
                found.append(
                    f"{page.relative_to(html_dir)}: {problem}: {_excerpt(source, match.start())}"
                )
        for name, folder in folders.items():
            if folder in text:
                found.append(f"{page.relative_to(html_dir)}: machine path: {name} {folder}")
    return found


def _excerpt(text: str, at: int, width: int = 60) -> str:
    return " ".join(text[max(0, at - 10) : at + width].split())

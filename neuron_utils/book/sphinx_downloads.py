"""A Sphinx extension of the book's site.

Each chapter page's download menu offers the chapter's source, the Jupytext file
``notebooks/NN_name.py`` that papermill executes, beside the executed notebook (``.ipynb``,
with its outputs) that the theme already offers. The sources are copied into the site
(``_downloads/chapters/``), so the links work from ``file://``, from a static server and on
GitHub Pages alike.

And a page loads each script once: sphinx-thebe (which Jupyter Book always loads) adds its
configuration script on every read of the sources, so an incremental build declared
``THEBE_JS_URL`` twice, a script error on every page."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from .registry import chapters, page_name

DOWNLOADS = "_downloads/chapters"
CHAPTER_PAGES = "book/chapters"


def chapter_sources() -> dict[str, Path]:
    """Page name -> chapter source, e.g. ``{"book/chapters/01_x": chapters/ch01_x/notebook.py}``."""
    return {f"{CHAPTER_PAGES}/{page_name(n)}": path for n, path in chapters().items()}


def download_name(pagename: str) -> str:
    """The name a chapter's source is offered under: its page's, ``01_x.py``."""
    return f"{pagename.rsplit('/', 1)[-1]}.py"


def add_source_button(
    app: Any, pagename: str, templatename: str, context: dict, doctree: Any
) -> None:
    """After the theme's own buttons (priority 501): put ``.py`` in the page's download menu
    and say what its ``.ipynb`` is."""
    source = chapter_sources().get(pagename)
    if source is None:
        return
    for group in context.get("header_buttons", []):
        if group.get("label") != "download-buttons":
            continue
        for button in group["buttons"]:
            if button.get("label") == "download-source-button":
                button["tooltip"] = "The executed notebook, with its outputs"
        group["buttons"].insert(
            1,
            {
                "type": "link",
                "url": f"{context['pathto'](DOWNLOADS, 1)}/{download_name(pagename)}",
                "text": ".py",
                "tooltip": "The chapter's source (Jupytext), as papermill runs it",
                "icon": "fas fa-code",
                "label": "download-chapter-source-button",
            },
        )


def drop_repeated_scripts(
    app: Any, pagename: str, templatename: str, context: dict, doctree: Any
) -> None:
    """Keep the first of scripts that are the same file, or the same inline body."""
    seen, kept = set(), []
    for script in context.get("script_files", []):
        # an inline script's file is None or "" depending on who added it
        name = getattr(script, "filename", script) or ""
        key = (str(name), repr(sorted(getattr(script, "attributes", {}).items())))
        if key not in seen:
            seen.add(key)
            kept.append(script)
    if "script_files" in context:
        context["script_files"] = kept


def copy_sources(app: Any, exception: Exception | None) -> None:
    """Copy every chapter's source into the built site."""
    if exception is not None or app.builder.format != "html":
        return
    folder = Path(app.outdir) / DOWNLOADS
    folder.mkdir(parents=True, exist_ok=True)
    for pagename, source in chapter_sources().items():
        shutil.copyfile(source, folder / download_name(pagename))


def setup(app: Any) -> dict[str, Any]:
    app.connect("html-page-context", add_source_button, priority=502)
    # before any handler that returns a template name, which ends the event for later ones
    app.connect("html-page-context", drop_repeated_scripts, priority=503)
    app.connect("build-finished", copy_sources)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

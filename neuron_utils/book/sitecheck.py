"""Check the built site as a reader's browser loads it (``python -m neuron_utils check-site``).

Without a browser: every local link, image, script and style sheet of every page names a file
of the site (and an anchor that exists), every chapter page offers its executed notebook and its
source for download, and no downloadable notebook holds a path of the machine that built it.

With headless Chromium (Debian's ``chromium``), driven through its DevTools protocol: every page
opened from ``file://`` and from a plain static server (Python's ``http.server``) shows every
figure (loaded, non-empty), has MathJax typeset every formula, raises no script error and fails
to load no resource; and the search page finds a word of the book.
"""

from __future__ import annotations

import contextlib
import functools
import html
import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit
from urllib.request import urlopen

from ..core.paths import cache_dir
from .postbuild import PATTERNS
from .sphinx_downloads import DOWNLOADS, chapter_sources, download_name

SEARCH_WORD = "neurons"  # a word every build of the book contains
BROWSERS = ("chromium", "chromium-browser", "google-chrome")

_REFERENCE = re.compile(r"""<(a|img|script|link)\b[^>]*?\b(href|src)="([^"]*)\"""", re.S)
_ID = re.compile(r"""\bid="([^"]+)\"""")


def check_site(html_dir: Path, browser: bool = True) -> list[str]:
    """``"where: problem"`` for everything of the site in ``html_dir`` that a reader would find
    broken; empty when it is whole. ``browser``: also load every page in headless Chromium from
    ``file://`` and from a static server (a problem if no Chromium is installed)."""
    html_dir = Path(html_dir).resolve()
    problems = _links(html_dir) + _downloads(html_dir)
    if browser:
        found = next((shutil.which(name) for name in BROWSERS if shutil.which(name)), None)
        if found is None:
            return problems + [f"no browser to check the site with (looked for {BROWSERS})"]
        with _served(html_dir) as server, _Chromium(found) as chromium:
            for base in (html_dir.as_uri(), server):
                problems += _in_browser(chromium, html_dir, base)
    return problems


def pages(html_dir: Path) -> list[Path]:
    """The site's HTML pages (not the copies of sources and theme files)."""
    return [
        page
        for page in sorted(Path(html_dir).rglob("*.html"))
        if not {"_sources", "_static", "_downloads"} & set(page.relative_to(html_dir).parts)
    ]


# ------------------------------------------------------------------------------ without a browser


def _links(html_dir: Path) -> list[str]:
    problems = []
    ids: dict[Path, set[str]] = {}

    def anchors(page: Path) -> set[str]:
        if page not in ids:
            ids[page] = set(_ID.findall(page.read_text(encoding="utf-8", errors="replace")))
        return ids[page]

    for page in pages(html_dir):
        text = page.read_text(encoding="utf-8", errors="replace")
        for tag, _, reference in _REFERENCE.findall(text):
            reference = html.unescape(reference)
            parts = urlsplit(reference)
            if parts.scheme or parts.netloc or reference.startswith(("mailto:", "javascript:")):
                continue
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            where = f"{page.relative_to(html_dir)}: <{tag}> {reference}"
            if not target.is_relative_to(html_dir):
                problems.append(f"{where}: outside the site")
            elif target.is_dir() and not (target / "index.html").is_file():
                problems.append(f"{where}: a folder without index.html")
            elif not target.exists():
                problems.append(f"{where}: no such file")
            elif parts.fragment and target.suffix == ".html" and tag == "a":
                if unquote(parts.fragment) not in anchors(target):
                    problems.append(f"{where}: no such anchor")
    return problems


def _downloads(html_dir: Path) -> list[str]:
    problems = []
    for name, source in chapter_sources().items():
        page = html_dir / f"{name}.html"
        if not page.is_file():  # a book of some chapters (the build checks that all ran)
            continue
        text = page.read_text(encoding="utf-8")
        for offered in (f"_sources/{name}.ipynb", f"{DOWNLOADS}/{download_name(name)}"):
            if f'/{offered}"' not in text:
                problems.append(f"{name}.html: does not offer {offered} for download")
    folders = [str(cache_dir().resolve())]
    if html_dir.parent.name == "_build":
        folders.append(str(html_dir.parents[1]))
    for notebook in sorted((html_dir / "_sources").rglob("*.ipynb")):
        text = notebook.read_text(encoding="utf-8", errors="replace")
        match = PATTERNS["machine path"].search(text)
        found = match.group(0) if match else next((f for f in folders if f in text), None)
        if found:
            problems.append(f"{notebook.relative_to(html_dir)}: machine path {found}")
    return problems


# ---------------------------------------------------------------------------------- in a browser

# what a page shows once loaded: figures that did not load, formulas and typeset formulas
_PAGE_STATE = """JSON.stringify({
  broken: [...document.images].filter(i => !i.complete || i.naturalWidth === 0)
            .map(i => i.getAttribute('src')),
  formulas: document.querySelectorAll('.math').length,
  typeset: document.querySelectorAll('mjx-container').length,
  results: document.querySelectorAll('ul.search li').length,
  searching: !!document.querySelector('#search-progress') &&
             !/found|no/i.test(document.querySelector('#search-progress').textContent),
})"""


def _in_browser(chromium: _Chromium, html_dir: Path, base: str) -> list[str]:
    problems = []
    origin = "file://" if base.startswith("file:") else "a static server"
    for page in pages(html_dir):
        relative = page.relative_to(html_dir).as_posix()
        where = f"{relative} (from {origin})"
        is_search = relative == "search.html"
        url = f"{base}/{relative}" + (f"?q={SEARCH_WORD}" if is_search else "")

        def settled(state: dict) -> bool:
            if is_search:
                return state["results"] > 0 or not state["searching"]
            return state["typeset"] >= state["formulas"]

        state, errors = chromium.load(url, settled)
        problems += [f"{where}: {error}" for error in errors]
        problems += [f"{where}: figure not shown: {src}" for src in state["broken"]]
        if state["typeset"] < state["formulas"]:
            problems.append(
                f"{where}: MathJax typeset {state['typeset']} of {state['formulas']} formulas"
            )
        if is_search and state["results"] == 0:
            problems.append(f"{where}: searching for {SEARCH_WORD!r} found nothing")
    return problems


@contextlib.contextmanager
def _served(html_dir: Path) -> Iterator[str]:
    """``http://127.0.0.1:PORT`` serving ``html_dir`` (a free port) while in the block."""
    handler = functools.partial(_QuietHandler, directory=str(html_dir))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass


class _Chromium:
    """Headless Chromium with one tab, driven over the DevTools protocol (websocket-client)."""

    def __init__(self, executable: str, timeout_s: float = 30.0) -> None:
        self.executable = executable
        self.timeout_s = timeout_s
        self._next_id = 0

    def __enter__(self) -> _Chromium:
        import websocket

        # its helper processes may still write there while it exits: cleaned up as they can be
        self._profile = tempfile.TemporaryDirectory(prefix="sitecheck-", ignore_cleanup_errors=True)
        self._process = subprocess.Popen(
            [
                self.executable,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--remote-debugging-port=0",
                f"--user-data-dir={self._profile.name}",
                "--window-size=1280,900",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # its helpers in one process group, ended together
        )
        port_file = Path(self._profile.name) / "DevToolsActivePort"
        deadline = time.monotonic() + self.timeout_s
        while not port_file.exists() or not port_file.read_text().strip():
            if time.monotonic() > deadline or self._process.poll() is not None:
                self.__exit__(None, None, None)
                raise RuntimeError(f"{self.executable} did not start its DevTools endpoint")
            time.sleep(0.1)
        port = port_file.read_text().split()[0]
        with urlopen(f"http://127.0.0.1:{port}/json/list", timeout=self.timeout_s) as listing:
            tab = next(t for t in json.load(listing) if t["type"] == "page")
        self._socket = websocket.create_connection(
            tab["webSocketDebuggerUrl"], timeout=self.timeout_s, suppress_origin=True
        )
        for method in ("Page.enable", "Runtime.enable", "Log.enable"):
            self._call(method)
        return self

    def __exit__(self, *exc: Any) -> None:
        with contextlib.suppress(Exception):
            self._socket.close()
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self._process.pid, signal.SIGTERM)
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self._process.pid, signal.SIGKILL)
            self._process.wait()
        self._profile.cleanup()

    def _call(self, method: str, **params: Any) -> tuple[dict, list[dict]]:
        """Send one command; returns its result and the events that arrived meanwhile."""
        self._next_id += 1
        self._socket.send(json.dumps({"id": self._next_id, "method": method, "params": params}))
        events = []
        while True:
            message = json.loads(self._socket.recv())
            if message.get("id") == self._next_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message["result"], events
            events.append(message)

    def _events(self, seconds: float) -> list[dict]:
        """The events that arrive within ``seconds``."""
        events = []
        deadline = time.monotonic() + seconds
        self._socket.settimeout(0.1)
        try:
            while time.monotonic() < deadline:
                with contextlib.suppress(TimeoutError, _websocket_timeout()):
                    events.append(json.loads(self._socket.recv()))
        finally:
            self._socket.settimeout(self.timeout_s)
        return events

    def load(self, url: str, settled: Any) -> tuple[dict, list[str]]:
        """Open ``url``, wait for its load event and then until ``settled(state)`` (or the
        timeout); returns the page's state (:data:`_PAGE_STATE`) and its errors: uncaught
        exceptions, console errors, resources that failed to load."""
        _, events = self._call("Page.navigate", url=url)
        deadline = time.monotonic() + self.timeout_s
        while not any(e.get("method") == "Page.loadEventFired" for e in events):
            if time.monotonic() > deadline:
                return _empty_state(), [f"did not load within {self.timeout_s:.0f} s"]
            events += self._events(0.2)
        while True:
            result, more = self._call("Runtime.evaluate", expression=_PAGE_STATE)
            events += more
            state = json.loads(result["result"]["value"])
            if settled(state) or time.monotonic() > deadline:
                break
            events += self._events(0.2)
        events += self._events(0.3)  # late resource errors
        return state, _errors(events)


def _websocket_timeout() -> type[Exception]:
    import websocket

    return websocket.WebSocketTimeoutException


def _empty_state() -> dict:
    return {"broken": [], "formulas": 0, "typeset": 0, "results": 0, "searching": False}


def _errors(events: list[dict]) -> list[str]:
    errors = []
    for event in events:
        method, params = event.get("method"), event.get("params", {})
        if method == "Runtime.exceptionThrown":
            details = params["exceptionDetails"]
            text = details.get("exception", {}).get("description") or details.get("text", "")
            errors.append(f"script error: {text.splitlines()[0] if text else 'unknown'}")
        elif method == "Log.entryAdded" and params["entry"]["level"] == "error":
            entry = params["entry"]
            if entry.get("url", "").endswith("/favicon.ico"):  # the browser's guess, not a link
                continue
            errors.append(f"{entry['text']} {entry.get('url', '')}".strip())
        elif method == "Runtime.consoleAPICalled" and params.get("type") == "error":
            args = " ".join(str(a.get("value", a.get("description", ""))) for a in params["args"])
            errors.append(f"console error: {args}")
    return errors

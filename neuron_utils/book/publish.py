"""Publish the built book as a static site: a local ``gh-pages`` branch (``make publish``).

The branch holds one commit per publication whose tree is ``_build/html`` plus ``.nojekyll``
(GitHub Pages' Jekyll would hide ``_static``, ``_images``, ``_sources`` and ``_downloads``).
Nothing is pushed: ``git push origin gh-pages`` does that, or the workflow
``.github/workflows/book.yml`` builds and deploys the executed book on GitHub's side.
"""

from __future__ import annotations

import contextlib
import subprocess
from pathlib import Path

from ..core.paths import PROJECT_ROOT
from .postbuild import check_html
from ..kit.provenance import git_commit
from .sitecheck import check_site

BRANCH = "gh-pages"


class PublishError(RuntimeError):
    """The site cannot be published (not built, not clean, not a git repository)."""


def publish(
    html_dir: Path | None = None, branch: str = BRANCH, repository: Path = PROJECT_ROOT
) -> str:
    """Commit the site in ``html_dir`` (default ``<repository>/_build/html``) to the local
    ``branch`` of ``repository``, after checking it as a reader's browser would load it
    (:func:`~neuron_utils.book.postbuild.check_html`,
    :func:`~neuron_utils.book.sitecheck.check_site` without a browser); returns the new
    commit's hash. The working tree and the checked-out branch are left as they are."""
    from ghp_import import GhpError, ghp_import

    html_dir = Path(html_dir or Path(repository) / "_build" / "html")
    if not (html_dir / "index.html").is_file():
        raise PublishError(f"no built book in {html_dir}: run `make book` first")
    problems = check_html(html_dir) + check_site(html_dir, browser=False)
    if problems:
        raise PublishError("the site is not fit to publish:\n" + "\n".join(problems))
    message = f"The book as built from {git_commit(Path(repository))}"
    with contextlib.chdir(repository):
        before = _branch_head(branch)
        try:
            ghp_import(str(html_dir.resolve()), mesg=message, branch=branch, nojekyll=True)
        except GhpError as err:
            raise PublishError(f"ghp-import: {err.message}") from err
        after = _branch_head(branch)
    if after is None or after == before:  # ghp-import prints a failed import and goes on
        raise PublishError(f"ghp-import wrote no commit to {branch} (git's message is above)")
    return after


def _branch_head(branch: str) -> str | None:
    done = subprocess.run(
        ["git", "rev-parse", "--verify", "--quiet", f"refs/heads/{branch}"],
        capture_output=True,
        text=True,
    )
    return done.stdout.strip() or None

"""The exercises of a chapter and the code of their solutions.

A chapter's exercises are ``{exercise}`` directives (sphinx-exercise) in its notebook; a solution
is a ``{solution}`` directive that the reader opens on demand, holding a Python block of a few
calls in the notebook's names (``model``, ``params``, ``results``, ``chapter``). The test suite
appends every solution's code to the chapter's smoke run (:func:`solution_cells`), so that no
solution stops working when the code changes.
"""

from __future__ import annotations

import re

from .registry import chapter_source

_DIRECTIVE = re.compile(r"^:::\{(exercise|solution)\}(.*?)\n(.*?)^:::$", re.MULTILINE | re.DOTALL)
_LABEL = re.compile(r"^:label: (\S+)$", re.MULTILINE)
_PYTHON = re.compile(r"^```python\n(.*?)^```$", re.MULTILINE | re.DOTALL)


def _markdown(chapter: str) -> str:
    import jupytext

    notebook = jupytext.read(chapter_source(chapter))
    return "\n".join(c.source for c in notebook.cells if c.cell_type == "markdown")


def exercises(chapter: str) -> list[str]:
    """Labels of the chapter's exercises, in order."""
    found = []
    for kind, _, body in _DIRECTIVE.findall(_markdown(chapter)):
        if kind == "exercise":
            label = _LABEL.search(body)
            if label is None:
                raise ValueError(f"chapter {chapter}: an exercise without a :label:")
            found.append(label.group(1))
    return found


def solutions(chapter: str) -> dict[str, str]:
    """``{exercise label: Python code}`` of the chapter's solutions."""
    found = {}
    for kind, argument, body in _DIRECTIVE.findall(_markdown(chapter)):
        if kind == "solution":
            code = _PYTHON.findall(body)
            if len(code) != 1:
                raise ValueError(
                    f"chapter {chapter}: the solution of {argument.strip()} must hold one "
                    f"```python block, found {len(code)}"
                )
            found[argument.strip()] = code[0]
    return found


def solution_cells(chapter: str) -> list[str]:
    """Code cells that run each solution after the chapter, each printing its label first."""
    return [f"print({label!r})\n{code}" for label, code in solutions(chapter).items()]

"""Command line: ``python -m neuron_utils run 01 -p N_PAIRS 300 --profile paper``."""

from __future__ import annotations

import argparse
import logging
import sys
import time
import traceback

from ..core.paths import PROJECT_ROOT
from ..core.progress import first_line
from ..core.storage import StorageError
from ..data import DataError
from ..kit import provenance
from . import registry, results
from . import runner as book
from .display import BookDisplay
from .scaffold import ScaffoldFailed
from ..kit.parameters import PROFILES

BAD_INPUT, FAILED_RUN = 2, 1  # exit codes

EPILOG = """
examples:
  python -m neuron_utils list                       chapters and their parameters
  python -m neuron_utils run 01                     re-execute chapter 1 (quick profile), rebuild the book
  python -m neuron_utils run 01 -p L2_LANGUAGES '["ko","it"]' -p N_PAIRS 300
  python -m neuron_utils run 01 --profile paper     the paper's sizes on the real data sets
  python -m neuron_utils run all                    every chapter that changed, then the book
  python -m neuron_utils run all --force            every chapter, changed or not
  python -m neuron_utils build                      only rebuild the HTML book from executed chapters
  python -m neuron_utils check-site                 every page in headless Chromium (file:// and a server)
  python -m neuron_utils publish                    the built book onto the local gh-pages branch
  python -m neuron_utils machine                    what decides float rounding here (paste it into a bug report)
  python -m neuron_utils new-chapter my_topic "My topic"   a chapter from the template, before the findings

Errors print one or two lines (what went wrong, what to do); --debug adds the traceback. Exit
codes: 0 done, 1 a chapter or the build failed, 2 bad input (a parameter, data, a chapter).

A chapter is executed again only when its notebook source, its parameters, a package module it
runs (its imports, walked) or the data it reads changed since its executed notebook was made (book/chapters/*.run.json
records them); --force executes it anyway. On a terminal, a bar shows each chapter's progress
with an estimate from its last run (NEURON_UTILS_PROGRESS=0 turns it off, =1 forces it).

Values given with -p are JSON or Python literals (numbers, lists, strings); bare words are
strings. Parameters are checked before any model loads. The real data sets are downloaded per
data/manifest.json, or copied from NEURON_UTILS_DATA_MIRROR when it names a local mirror.
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m neuron_utils",
        description="Run the chapters of the Multilingual-neurons book and build it.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--debug", action="store_true", help="show the traceback of an error")
    # also accepted after the command (``run 01 --debug``)
    debug = argparse.ArgumentParser(add_help=False)
    debug.add_argument(
        "--debug", action="store_true", default=argparse.SUPPRESS, help=argparse.SUPPRESS
    )
    sub = parser.add_subparsers(dest="command", required=True)
    _add_run(sub, debug)
    sub.add_parser(
        "build",
        parents=[debug],
        help="build the HTML book from the executed chapters (_build/html)",
    )
    sub.add_parser("list", help="list chapters and their default parameters")
    sub.add_parser(
        "check-kept",
        help="list the kept paper-size summaries that are not what the current code computes",
    )
    sub.add_parser(
        "check-site",
        parents=[debug],
        help="load every page of _build/html in headless Chromium, from file:// and a server",
    )
    sub.add_parser(
        "publish",
        parents=[debug],
        help="check _build/html and commit it to the local gh-pages branch (no push)",
    )
    _add_new_chapter(sub, debug)
    sub.add_parser(
        "machine", help="torch version, CPU, threads, kernels and bf16 support of this machine"
    )
    args = parser.parse_args(argv)
    try:
        return _command(args)
    except (ValueError, DataError) as err:  # bad parameters, data, chapter numbers
        return _report(err, BAD_INPUT, args.debug)
    except (book.ChapterFailed, book.BuildFailed, ScaffoldFailed) as err:
        return _report(err, FAILED_RUN, args.debug)
    except StorageError as err:  # a folder the run writes to: full, read-only, not ours
        return _report(err, FAILED_RUN, args.debug, err.strerror)
    except KeyboardInterrupt:  # the executed copy is written atomically: nothing half-kept
        # the kernel client's unfinished tasks are reported by asyncio at exit: noise here
        logging.getLogger("asyncio").setLevel(logging.CRITICAL)
        print("interrupted; nothing kept from this run", file=sys.stderr)
        return 130
    except Exception as err:  # a bug: say so in one line unless asked for the traceback
        message = (
            f"unexpected {type(err).__name__}: {first_line(str(err))}\n"
            "this is a bug: please report it with the output of the same command with --debug"
        )
        return _report(err, FAILED_RUN, args.debug, message)


def _add_run(sub: argparse._SubParsersAction, debug: argparse.ArgumentParser) -> None:
    run = sub.add_parser(
        "run", parents=[debug], help="execute chapters with papermill, then rebuild the book"
    )
    run.add_argument(
        "chapters", nargs="+", help="chapter numbers (01, 2 ...), 'findings' (its page) or 'all'"
    )
    run.add_argument(
        "-p",
        "--parameter",
        nargs=2,
        action="append",
        default=[],
        metavar=("NAME", "VALUE"),
        help="override a parameter of the chapter (repeatable)",
    )
    run.add_argument(
        "--profile",
        default="quick",
        choices=PROFILES,
        help="quick: bundled data, minutes on a laptop (default); paper: the seeds' sizes and data",
    )
    run.add_argument(
        "--no-build", action="store_true", help="do not rebuild the HTML book afterwards"
    )
    run.add_argument(
        "--force", action="store_true", help="execute the chapters even if nothing changed"
    )
    run.add_argument("--log", action="store_true", help="stream the notebook output while it runs")
    run.add_argument(
        "--keep-dirty",
        action="store_true",
        help="keep a paper-size run's summary from a tree with uncommitted changes (marked so)",
    )


def _add_new_chapter(sub: argparse._SubParsersAction, debug: argparse.ArgumentParser) -> None:
    new = sub.add_parser(
        "new-chapter",
        parents=[debug],
        help="a chapter from the template, placed before the findings page (which moves up by "
        "one): its folder neuron_utils/chapters/chNN_NAME, its _toc.yml line, its golden numbers",
    )
    new.add_argument("name", help="the folder's name after chNN_: lower-case letters, digits, _")
    new.add_argument("title", nargs="?", help="the page title (default: from NAME)")
    new.add_argument(
        "--number",
        help="the chapter's number: only the findings page's, which it takes (the default)",
    )
    new.add_argument(
        "--no-golden",
        action="store_true",
        help="do not generate its golden numbers (the golden-number test fails until they are)",
    )


def _new_chapter(args: argparse.Namespace) -> int:
    """``new-chapter``: the chapter before the findings page (:mod:`.scaffold`)."""
    from .scaffold import GOLDEN_TEST, new_chapter

    title = args.name.replace("_", " ").capitalize() if args.title is None else args.title
    created = new_chapter(args.name, title, args.number, golden=not args.no_golden)
    for line in created.lines():
        print(line)
    print(
        f"next: write the chapter's analysis, summary, figures and prose in its folder; "
        f"`make test` runs it; once its numbers are what you expect, regenerate its golden "
        f"numbers: NEURON_UTILS_GOLDEN=regenerate .venv/bin/python -m pytest "
        f"'{GOLDEN_TEST}[{created.plan.number}]'"
    )
    return 0


def _report(err: Exception, code: int, debug: bool, message: str = "") -> int:
    """Print ``error: <message>`` (the error's own text by default), after the traceback with
    ``--debug``; return the exit code."""
    if debug:
        traceback.print_exception(err)
    print(f"error: {message or err}", file=sys.stderr)
    return code


def _command(args: argparse.Namespace) -> int:
    """Carry out one parsed command; errors propagate to :func:`main`."""
    if args.command == "list":
        for number in registry.chapters():
            print(f"{number}  {registry.page_name(number)}")
            parameters = registry.parameters_class(number)
            for name, value in parameters().as_dict().items():
                print(f"      {name} = {value!r}")
            for name, value in parameters.PAPER.items():
                print(f"      paper: {name} = {value!r}")
        return 0
    if args.command == "check-kept":
        stale = results.stale_kept()
        for line in stale:
            print(line)
        return 1 if stale else 0
    if args.command == "check-site":
        from .sitecheck import check_site

        html = PROJECT_ROOT / "_build" / "html"
        if not (html / "index.html").is_file():
            raise ValueError("no built book in _build/html: run `make book` first")
        problems = check_site(html)
        for line in problems:
            print(line)
        if not problems:
            print("the site is whole from file:// and from a static server")
        return 1 if problems else 0
    if args.command == "publish":
        from .publish import BRANCH, PublishError, publish

        try:
            commit = publish()
        except PublishError as err:
            return _report(err, FAILED_RUN, args.debug)
        print(
            f"the book is on the local branch {BRANCH} (commit {commit[:12]}); nothing was "
            f"pushed: `git push origin {BRANCH}` publishes it on GitHub Pages (Settings > Pages > "
            f"Deploy from a branch: {BRANCH}), or let .github/workflows/book.yml build and deploy it"
        )
        return 0
    if args.command == "new-chapter":
        return _new_chapter(args)
    if args.command == "machine":
        for name, value in provenance.machine_report().items():
            print(f"{name}: {value}")
        return 0
    if args.command == "build":
        print(book.build_book())
        return 0
    return _run(args)


def _run(args: argparse.Namespace) -> int:
    """``run``: every chapter named (validated first) that is out of date, then the book."""
    numbers = list(registry.chapters()) if args.chapters == ["all"] else args.chapters
    numbers = [registry.findings() if n == "findings" else n for n in numbers]
    repeated = sorted(
        {name for name, _ in args.parameter if [n for n, _ in args.parameter].count(name) > 1}
    )
    if repeated:  # the last would win silently
        raise ValueError(f"-p {', '.join(repeated)} given more than once: give each parameter once")
    overrides = book.portable_sources(
        {name: book.parse_value(value) for name, value in args.parameter}
    )
    for number in numbers:  # validate everything before running anything
        book.resolve_parameters(number, args.profile, overrides)
    display = BookDisplay(total=len(numbers), live=None if not args.log else False)
    for number in numbers:
        reason = "--force" if args.force else book.out_of_date(number, args.profile, overrides)
        if reason is None:
            display.skipped(
                number.zfill(2), registry.chapter_title(number), "up to date (--force runs it)"
            )
            continue
        book.run_chapter(
            number,
            args.profile,
            overrides,
            log=args.log,
            display=display,
            reason=reason,
            keep_dirty=args.keep_dirty,
        )
    build_s = None
    if not args.no_build:
        start = time.monotonic()
        index = book.build_book(quiet=True)
        build_s = time.monotonic() - start
    display.say(display.table(build_s))
    if build_s is not None:
        print(index)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Command line: ``python -m neuron_utils run 01 -p N_PAIRS 300 --profile paper``."""

from __future__ import annotations

import argparse
import sys

from ..data import DataError
from . import provenance
from . import runner as book
from .parameters import PROFILES

EPILOG = """
examples:
  python -m neuron_utils list                       chapters and their parameters
  python -m neuron_utils run 01                     re-execute chapter 1 (quick profile), rebuild the book
  python -m neuron_utils run 01 -p L2_LANGUAGES '["ko","it"]' -p N_PAIRS 300
  python -m neuron_utils run 01 --profile paper     the paper's sizes on the real data sets
  python -m neuron_utils run all                    every chapter, then the book
  python -m neuron_utils build                      only rebuild the HTML book from executed chapters
  python -m neuron_utils machine                    what decides float rounding here (paste it into a bug report)

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
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="execute chapters with papermill, then rebuild the book")
    run.add_argument("chapters", nargs="+", help="chapter numbers (01, 2 ...) or 'all'")
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
    run.add_argument("--log", action="store_true", help="stream the notebook output while it runs")
    sub.add_parser("build", help="build the HTML book from the executed chapters (_build/html)")
    sub.add_parser("list", help="list chapters and their default parameters")
    sub.add_parser(
        "machine", help="torch version, CPU, threads, kernels and bf16 support of this machine"
    )
    args = parser.parse_args(argv)

    try:
        if args.command == "list":
            for number, path in book.chapters().items():
                print(f"{number}  {path.name}")
                parameters = book.parameters_class(number)
                for name, value in parameters().as_dict().items():
                    print(f"      {name} = {value!r}")
                for name, value in parameters.PAPER.items():
                    print(f"      paper: {name} = {value!r}")
            return 0
        if args.command == "machine":
            for name, value in provenance.machine_report().items():
                print(f"{name}: {value}")
            return 0
        if args.command == "build":
            print(book.build_book())
            return 0
        numbers = list(book.chapters()) if args.chapters == ["all"] else args.chapters
        overrides = {name: book.parse_value(value) for name, value in args.parameter}
        for number in numbers:  # validate everything before running anything
            book.resolve_parameters(number, args.profile, overrides)
        for number in numbers:
            book.run_chapter(number, args.profile, overrides, log=args.log)
        if not args.no_build:
            print(book.build_book())
        return 0
    except (ValueError, DataError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())

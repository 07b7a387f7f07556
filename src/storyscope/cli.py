"""``storyscope`` command line: parse, build the config, call the library, map errors to exit codes.

Exit codes (one place, documented in the README):
    0  report written (inputs that failed are listed inside the report)
    1  --strict and at least one input failed
    2  usage error (bad option, unknown format)
    3  no usable articles (every input failed; reasons on stderr)
    4  a model or optional dependency is missing (the message has the pip line)
    5  the output file could not be written
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

EXIT_OK, EXIT_PARTIAL, EXIT_USAGE, EXIT_NO_ARTICLES, EXIT_MODEL, EXIT_OUTPUT = 0, 1, 2, 3, 4, 5


def _parser() -> argparse.ArgumentParser:
    from storyscope import __version__
    from storyscope.render import FORMATS

    p = argparse.ArgumentParser(
        prog="storyscope", description="Compare how news outlets cover the same story."
    )
    p.add_argument("--version", action="version", version=f"storyscope {__version__}")
    sub = p.add_subparsers(dest="command", required=True)
    c = sub.add_parser(
        "compare",
        help="compare 2-50 articles about one story",
        description="Compare articles (.txt with Title:/Source:/Date:/URL: headers, .html, .json, .jsonl; "
        "directories are read recursively; '-' reads stdin).",
    )
    c.add_argument("paths", nargs="+", metavar="PATH", help="files, directories, or - for stdin")
    c.add_argument("--format", "-f", choices=FORMATS, default="text", help="output format (default: text)")
    c.add_argument("--json", action="store_true", help="same as --format json")
    c.add_argument("-o", "--output", metavar="FILE", help="write the report here instead of stdout")
    c.add_argument("--strict", action="store_true", help="exit 1 if any input could not be used")
    c.add_argument("--quiet", "-q", action="store_true", help="no progress messages on stderr")
    c.add_argument(
        "--max-input-mb", type=float, default=None, help="refuse input files larger than this (default 20)"
    )
    return p


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 on --help/--version
        return int(exc.code or 0)
    return _compare(args)


def _compare(args: argparse.Namespace) -> int:
    from rich.console import Console

    from storyscope import CompareConfig, compare, render
    from storyscope.errors import ModelUnavailableError, NoArticlesError

    err = Console(stderr=True, highlight=False)
    fmt = "json" if args.json else args.format
    if "-" in args.paths and sys.stdin is not None and sys.stdin.isatty():
        err.print("error: '-' reads articles from stdin, but stdin is a terminal; pipe a file in", markup=False)
        return EXIT_USAGE
    overrides = {}
    if args.max_input_mb is not None:
        overrides["max_input_bytes"] = int(args.max_input_mb * 1_000_000)
    config = CompareConfig().with_overrides(**overrides)

    status = None if args.quiet else err.status("storyscope: starting")
    try:
        if status:
            status.start()
        report = compare(
            args.paths,
            config=config,
            progress=(lambda msg: status.update(f"storyscope: {msg}")) if status else None,
        )
    except NoArticlesError as exc:
        if status:
            status.stop()
        err.print("[bold red]error:[/] no usable articles to compare")
        for f in exc.failures:
            err.print(f"  {f.origin}: {f.reason}", markup=False)
        return EXIT_NO_ARTICLES
    except ModelUnavailableError as exc:
        if status:
            status.stop()
        err.print(f"[bold red]error:[/] {exc}", markup=False)
        return EXIT_MODEL
    finally:
        if status:
            status.stop()

    for f in report.failures:
        err.print(f"skipped {f.origin}: {f.reason}", markup=False, style="yellow")
    text = render(report, fmt)
    if args.output:
        try:
            Path(args.output).write_text(text, encoding="utf-8")
        except OSError as exc:
            err.print(f"error: cannot write {args.output}: {exc.strerror}", markup=False, style="bold red")
            return EXIT_OUTPUT
        if not args.quiet:
            err.print(f"wrote {fmt} report to {args.output}")
    else:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
    return EXIT_PARTIAL if (args.strict and report.failures) else EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

"""``storyscope`` command line: parse, build the config, call the library, map errors to exit codes.

Exit codes (one place, documented in the README):
    0  report written (inputs that failed are listed inside the report)
    1  --strict and at least one input failed
    2  usage error (bad option, unknown format)
    3  no usable articles (every input failed; reasons on stderr)
    4  a model or optional dependency is missing (the message has the pip line)
    5  the output file could not be written
    6  no such story (show)
    7  the store cannot be opened or written (not a storyscope store, newer schema, read-only)

The store is ``--db FILE``, else $STORYSCOPE_DB, else ./storyscope.db.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from pathlib import Path

EXIT_OK, EXIT_PARTIAL, EXIT_USAGE, EXIT_NO_ARTICLES, EXIT_MODEL, EXIT_OUTPUT = 0, 1, 2, 3, 4, 5
EXIT_NO_STORY, EXIT_STORE = 6, 7
DEFAULT_DB = "storyscope.db"


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

    db_help = f"the store (default: $STORYSCOPE_DB or ./{DEFAULT_DB})"
    i = sub.add_parser(
        "ingest",
        help="add articles to a store and group them into stories",
        description="Add articles (files, directories, .jsonl[.gz], RSS/Atom feeds, .warc[.gz]) to the store; "
        "the same URL or text twice is stored once, so an interrupted ingest can simply be run again.",
    )
    i.add_argument("paths", nargs="+", metavar="PATH", help="files, directories, or - for stdin")
    i.add_argument("--db", help=db_help)
    i.add_argument("--json", action="store_true", help="print the summary as JSON")
    i.add_argument("--strict", action="store_true", help="exit 1 if any input was rejected")
    i.add_argument("--quiet", "-q", action="store_true", help="no progress bar")
    i.add_argument("--batch-size", type=int, default=None, help="articles per write transaction (default 64)")
    window_help = "a story closes to new articles this many days after its last one (default 7)"
    i.add_argument("--window-days", type=int, default=None, metavar="N", help=window_help)

    st = sub.add_parser("stories", help="list the stories in a store, newest first")
    st.add_argument("--db", help=db_help)
    st.add_argument("--since", type=_date, help="stories with an article on or after this date (YYYY-MM-DD)")
    st.add_argument("--until", type=_date, help="stories with an article on or before this date")
    st.add_argument("--outlet", help="only stories this outlet covered")
    st.add_argument("--query", "-s", help="only stories with an article matching this full-text query")
    st.add_argument("--limit", type=int, default=50, help="at most this many (default 50)")
    st.add_argument("--min-articles", type=int, default=1, help="hide stories with fewer articles")
    st.add_argument("--json", action="store_true", help="print JSON")

    sh = sub.add_parser("show", help="the comparison report of one story (cached until the story changes)")
    sh.add_argument("story", help="a story id from `storyscope stories`")
    sh.add_argument("--db", help=db_help)
    sh.add_argument("--format", "-f", choices=FORMATS, default="text", help="output format (default: text)")
    sh.add_argument("--json", action="store_true", help="same as --format json")
    sh.add_argument("-o", "--output", metavar="FILE", help="write the report here instead of stdout")
    sh.add_argument("--quiet", "-q", action="store_true", help="no progress messages on stderr")

    se = sub.add_parser("search", help="full-text search over the stored articles")
    se.add_argument("query", help="words to find (all must match)")
    se.add_argument("--db", help=db_help)
    se.add_argument("--limit", type=int, default=20)
    se.add_argument("--json", action="store_true", help="print JSON")

    rc = sub.add_parser("recluster", help="rebuild every story from scratch")
    rc.add_argument("--db", help=db_help)
    rc.add_argument("--json", action="store_true", help="print the result as JSON")
    rc.add_argument("--quiet", "-q", action="store_true", help="no progress bar")
    rc.add_argument("--window-days", type=int, default=None, metavar="N", help=window_help)

    sv = sub.add_parser("serve", help="REST API and web pages over a store")
    sv.add_argument("--db", help=db_help)
    sv.add_argument("--host", default="127.0.0.1")
    sv.add_argument("--port", type=int, default=8000)
    sv.add_argument(
        "--max-body-mb", type=_positive, default=5.0, help="refuse request bodies above this (default 5)"
    )
    return p


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date: {value!r} (use YYYY-MM-DD)") from None


def _positive(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        number = -1.0
    if not number > 0:
        raise argparse.ArgumentTypeError(f"must be a positive number, got {value!r}")
    return number


def _db(args: argparse.Namespace) -> str:
    return args.db or os.environ.get("STORYSCOPE_DB") or DEFAULT_DB


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 on --help/--version
        return int(exc.code or 0)
    if args.command == "compare":
        return _compare(args)
    return _corpus_command(args)


def _compare(args: argparse.Namespace) -> int:
    from rich.console import Console

    from storyscope import CompareConfig, compare, render
    from storyscope.errors import ModelUnavailableError, NoArticlesError

    err = Console(stderr=True, highlight=False)
    fmt = "json" if args.json else args.format
    if "-" in args.paths and sys.stdin is not None and sys.stdin.isatty():
        err.print(
            "error: '-' reads articles from stdin, but stdin is a terminal; pipe a file in", markup=False
        )
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


def _corpus_command(args: argparse.Namespace) -> int:
    from rich.console import Console

    from storyscope.config import CorpusConfig
    from storyscope.corpus import Corpus
    from storyscope.errors import ModelUnavailableError, StoreError, UnknownStoryError

    err = Console(stderr=True, highlight=False)
    db = _db(args)
    readonly = args.command in ("stories", "show", "search")
    if readonly and not Path(db).exists():
        err.print(
            f"error: no store at {db}; create one with `storyscope ingest PATH --db {db}`", markup=False
        )
        return EXIT_STORE
    try:
        if args.command == "serve":
            from storyscope.serve import serve

            serve(db, host=args.host, port=args.port, max_body_bytes=int(args.max_body_mb * 1_000_000))
            return EXIT_OK
        config = CorpusConfig()
        if getattr(args, "batch_size", None):
            config = config.with_overrides(batch_size=max(1, args.batch_size))
        if getattr(args, "window_days", None) is not None:
            if args.window_days < 0:
                err.print("error: --window-days must be 0 or more", markup=False)
                return EXIT_USAGE
            config = config.with_overrides(window_days=args.window_days)
        with Corpus.open(db, config=config, readonly=readonly and args.command != "show") as corpus:
            return _COMMANDS[args.command](corpus, args, err)
    except UnknownStoryError as exc:
        err.print(f"error: {exc}", markup=False)
        return EXIT_NO_STORY
    except StoreError as exc:
        err.print(f"error: {exc}", markup=False)
        return EXIT_STORE
    except ModelUnavailableError as exc:
        err.print(f"error: {exc}", markup=False)
        return EXIT_MODEL


def _ingest(corpus, args: argparse.Namespace, err) -> int:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    if "-" in args.paths and sys.stdin is not None and sys.stdin.isatty():
        err.print(
            "error: '-' reads articles from stdin, but stdin is a terminal; pipe a file in", markup=False
        )
        return EXIT_USAGE
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=err, disable=args.quiet, transient=True) as bar:
        task = bar.add_task("ingesting", total=None)

        def progress(done: int, total: int | None, message: str) -> None:
            bar.update(task, completed=done, total=total, description=message)

        summary = corpus.ingest(args.paths, progress=progress)
    if args.json:
        print(json.dumps(_summary_dict(summary, corpus), indent=2, ensure_ascii=False))
    else:
        for f in summary.failures:
            err.print(f"rejected {f.origin}: {f.reason}", markup=False, style="yellow")
        counts = corpus.count()
        print(
            f"added {summary.added} articles ({summary.duplicates} already stored, {len(summary.failures)} rejected) "
            f"in {summary.seconds:.1f} s; {summary.stories_created} new stories, {summary.stories_joined} articles "
            f"joined existing ones. The store now holds {counts['articles']} articles in {counts['stories']} stories."
        )
    return EXIT_PARTIAL if (args.strict and summary.failures) else EXIT_OK


def _summary_dict(summary, corpus) -> dict:
    return {
        "added": summary.added,
        "duplicates": summary.duplicates,
        "rejected": [{"origin": f.origin, "stage": f.stage, "reason": f.reason} for f in summary.failures],
        "stories_created": summary.stories_created,
        "stories_joined": summary.stories_joined,
        "seconds": summary.seconds,
        "store": corpus.count(),
    }


def _story_dict(s) -> dict:
    return {
        "id": s.id,
        "label": s.label,
        "articles": len(s.article_ids),
        "article_ids": list(s.article_ids),
        "outlets": list(s.sources),
        "first_published": s.first_published.isoformat() if s.first_published else None,
        "last_published": s.last_published.isoformat() if s.last_published else None,
        "version": s.version,
        "closed": s.closed,
    }


def _stories(corpus, args: argparse.Namespace, err) -> int:
    stories = corpus.stories(
        since=args.since,
        until=args.until,
        outlet=args.outlet,
        query=args.query,
        limit=max(args.limit, 0) * 4 + 50,
    )
    stories = [s for s in stories if s.size >= args.min_articles][: max(args.limit, 0)]
    if args.json:
        print(json.dumps([_story_dict(s) for s in stories], indent=2, ensure_ascii=False))
        return EXIT_OK
    from rich.console import Console
    from rich.table import Table

    table = Table(box=None, pad_edge=False)
    for name in ("story", "dates", "outlets", "articles"):
        table.add_column(name, no_wrap=True)
    table.add_column("label", no_wrap=True, overflow="ellipsis")
    for s in stories:
        dates = f"{s.first_published or '?'} – {s.last_published or '?'}" if s.first_published else "undated"
        table.add_row(s.id, dates, str(len(s.sources)), str(s.size), s.label)
    Console(highlight=False).print(table if stories else "no stories match")
    return EXIT_OK


def _show(corpus, args: argparse.Namespace, err) -> int:
    from storyscope import render

    fmt = "json" if args.json else args.format
    status = None if args.quiet else err.status("storyscope: comparing the story's articles")
    if status:
        status.start()
    try:
        report = corpus.report(args.story)
    finally:
        if status:
            status.stop()
    text = render(report, fmt)
    if args.output:
        try:
            Path(args.output).write_text(text, encoding="utf-8")
        except OSError as exc:
            err.print(f"error: cannot write {args.output}: {exc.strerror}", markup=False, style="bold red")
            return EXIT_OUTPUT
    else:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
    return EXIT_OK


def _search(corpus, args: argparse.Namespace, err) -> int:
    hits = corpus.search(args.query, limit=args.limit)
    if args.json:
        out = [
            {
                "article_id": h.article_id,
                "title": h.title,
                "source": h.source,
                "published": h.published.isoformat() if h.published else None,
                "snippet": h.snippet,
                "score": h.score,
                "story_id": h.story_id,
            }
            for h in hits
        ]
        print(json.dumps(out, indent=2, ensure_ascii=False))
        return EXIT_OK
    if not hits:
        print("no articles match")
    for h in hits:
        print(
            f"{h.article_id}  [{h.source}, {h.published or 'undated'}]  story {h.story_id or '-'}\n  {h.title}\n  {h.snippet}"
        )
    return EXIT_OK


def _recluster(corpus, args: argparse.Namespace, err) -> int:
    from rich.progress import Progress

    with Progress(console=err, disable=args.quiet, transient=True) as bar:
        task = bar.add_task("reclustering", total=None)
        n = corpus.recluster(progress=lambda done, total, msg: bar.update(task, completed=done, total=total))
    if args.json:
        print(json.dumps({"stories": n, "store": corpus.count()}))
    else:
        print(f"rebuilt {n} stories from {corpus.count()['articles']} articles")
    return EXIT_OK


_COMMANDS = {
    "ingest": _ingest,
    "stories": _stories,
    "show": _show,
    "search": _search,
    "recluster": _recluster,
}


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

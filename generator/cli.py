"""Command line: parse arguments, run a command, report, choose the exit code.

Commands import what they need when they run, so that `check` never loads the templates or
the Markdown renderer (start-up time is most of a small build).
"""
from __future__ import annotations

import argparse
import sys
from datetime import date, datetime, timezone
from pathlib import Path

from .report import (EXIT_CONTENT_ERRORS, EXIT_ENVIRONMENT, EXIT_INTERNAL, EXIT_INTERRUPTED,
                     EXIT_OK, EXIT_USAGE, count, print_problems, problem_counts, written_summary)

COMMANDS = ("build", "check", "serve", "new", "import", "announce")
NOW_YEARS = (1970, 2999)  # content dates are checked against 1900..2999; leave room either side


def parse_now(text: str) -> datetime:
    """--now: an ISO 8601 instant with Z or an offset ("2027-02-15T00:00:00Z"), or a date (UTC)."""
    value = text.strip()
    if value.endswith(("Z", "z")):
        value = value[:-1] + "+00:00"
    try:
        # A date alone means midnight UTC. (Python 3.11 would read "2027-02-15" as a naive
        # datetime, and "2027-02-15+00:00" as a naive one too, dropping the offset.)
        moment = datetime.combine(date.fromisoformat(value.removesuffix("+00:00")),
                                  datetime.min.time(), timezone.utc)
    except ValueError:
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            raise argparse.ArgumentTypeError(
                f'"{text}" is not an ISO 8601 instant; write e.g. 2027-02-15T00:00:00Z') from None
    if moment.tzinfo is None:
        raise argparse.ArgumentTypeError(
            f'"{text}" has no zone; end it with Z for UTC (e.g. {text.strip()}Z) or give an '
            "offset like +01:00")
    if not NOW_YEARS[0] <= moment.year <= NOW_YEARS[1]:
        raise argparse.ArgumentTypeError(
            f'"{text}" is out of range: --now must be in the years {NOW_YEARS[0]} to '
            f"{NOW_YEARS[1]}")
    return moment.astimezone(timezone.utc).replace(microsecond=0)


def _positive_days(text: str) -> int:
    try:
        days = int(text)
    except ValueError:
        days = 0
    if not 1 <= days <= 3660:
        raise argparse.ArgumentTypeError(f'"{text}" is not a number of days from 1 to 3660')
    return days


def _port(text: str) -> int:
    if not text.isdigit() or not 0 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f'"{text}" is not a port number (0 picks a free one)')
    return int(text)


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="build.py", description="Nextup: a static site of "
                                     "recurring events. Without a command: build.")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    build = commands.add_parser("build", help="build the site (the default command)")
    _add_content_options(build)
    build.add_argument("--output", type=Path, default=Path("public"),
                       help="where to write the site (default: public/)")

    check = commands.add_parser("check", help="check the content without writing anything")
    _add_content_options(check)
    check.add_argument("--format", choices=("text", "github"), default="text",
                       help="text (default), or GitHub Actions annotations for pull requests")
    check.add_argument("--explain", nargs="*", metavar="SLUG", default=None,
                       help="also print the next occurrences of these events (all if none "
                            "named), in their own zone and in UTC")

    serve = commands.add_parser("serve", help="build, serve on localhost, rebuild and reload "
                                "the browser on every change")
    _add_content_options(serve)
    serve.add_argument("--port", type=_port, default=8000, help="default 8000; 0 picks a free one")
    serve.add_argument("--host", default="127.0.0.1", help="default 127.0.0.1 (this machine only)")

    new = commands.add_parser("new", help="write a new event file, every field explained; "
                              "new session EVENT [DATE]: a session record of one meeting")
    new.add_argument("title", help='the event\'s name, e.g. "Atlantic Scrum"; or "session"')
    new.add_argument("session", nargs="*", metavar="EVENT [DATE]",
                     help="after session: the event's file name (without .md) and the date of "
                          "the meeting, 2027-01-18 (default: its next meeting)")
    new.add_argument("--content", type=Path, default=Path("content"),
                     help="the content directory (default: content/)")
    new.add_argument("--category", help="one of the site's categories (default: the first)")
    new.add_argument("--timezone", help="IANA zone, e.g. Europe/London (default: the site's)")
    new.add_argument("--now", type=parse_now, default=None, help=argparse.SUPPRESS)

    from .importing.arguments import add_import_parser

    add_import_parser(commands, parse_now)
    add_announce_parser(commands)
    return parser


def add_announce_parser(commands) -> None:
    announce = commands.add_parser(
        "announce", help="post the occurrences starting soon to Slack, Discord and Matrix")
    announce.add_argument("--content", type=Path, default=Path("content"),
                          help="where site.toml is (default: content/)")
    announce.add_argument("--feed", help="events.json to read: a file or an address (default: "
                          "events.json at the site's base_url, the published feed)")
    announce.add_argument("--since", default=None, metavar="INSTANT|github",
                          type=_since,
                          help="where the window starts: the previous run's time, or github "
                               "(from the GitHub Actions API); default: 5 minutes before --now")
    announce.add_argument("--now", type=parse_now, default=None,
                          help="pretend it is this instant (default: the real clock)")
    announce.add_argument("--dry-run", action="store_true",
                          help="print what would be posted, and post nothing")


def _since(text: str) -> datetime | str:
    """announce --since: an instant, or "github" (the window from the GitHub Actions API)."""
    return text if text == "github" else parse_now(text)


def _add_content_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--content", type=Path, default=Path("content"),
                        help="the content directory (default: content/)")
    parser.add_argument("--now", type=parse_now, default=None,
                        help="pretend it is this instant, e.g. 2027-02-15T00:00:00Z "
                             "(default: the real clock); same input + same --now = same output")
    parser.add_argument("--horizon-days", type=_positive_days, default=None,
                        help="how many days ahead feeds and lists reach (default: the site's "
                             "horizon_days, 90)")


def main(argv: list[str] | None = None) -> int:
    from .schedule.zones import use_pinned_zones

    use_pinned_zones()
    try:
        return _run(argv)
    except BrokenPipeError:  # `check ... | head`: the reader left; that is not an error
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except MemoryError:
        print("error: out of memory; nothing was written", file=sys.stderr)
        return EXIT_ENVIRONMENT
    except Exception as error:  # a bug in Nextup: say so in one line, the rest on request
        return _internal_error(error)


def _internal_error(error: Exception) -> int:
    import os
    import traceback

    frames = traceback.extract_tb(error.__traceback__)
    ours = [f for f in frames if f"{os.sep}generator{os.sep}" in f.filename] or frames
    where = f" at {Path(ours[-1].filename).name}:{ours[-1].lineno}" if ours else ""
    print(f"internal error{where}: {type(error).__name__}: {error}. This is a bug in Nextup, "
          "not a problem in your content; please report it with the command you ran "
          "(NEXTUP_DEBUG=1 prints the details).", file=sys.stderr)
    if os.environ.get("NEXTUP_DEBUG"):
        traceback.print_exception(error)
    return EXIT_INTERNAL


def _run(argv: list[str] | None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] not in COMMANDS and argv[0] not in ("-h", "--help"):
        argv.insert(0, "build")
    args = make_parser().parse_args(argv)
    now = args.now or datetime.now(timezone.utc).replace(microsecond=0)
    if args.command == "check":
        return run_check(args, now)
    if args.command == "serve":
        from .tools.serve import serve

        return serve(args.content, args.host, args.port, args.now, args.horizon_days)
    if args.command == "new" and args.title == "session":
        from .tools.new_session import run_new_session

        return run_new_session(args.content, args.session, now)
    if args.command == "new":
        from .tools.new import run_new

        if args.session:
            print(f"error: new takes one title; put it in quotes: new \"{' '.join([args.title, *args.session])}\"",
                  file=sys.stderr)
            return EXIT_USAGE
        return run_new(args, now)
    if args.command == "import" and args.source == "issue-form":
        from .tools.propose_event import run_propose_event

        return run_propose_event(args, now)
    if args.command == "import":
        from .importing.run import run_import

        return run_import(args, now)
    if args.command == "announce":
        from .tools.announce import run_announce

        return run_announce(args, now)
    return run_build(args, now)


def run_build(args, now: datetime) -> int:
    from .build.pipeline import BuildInterrupted, BuildOptions, build_site
    from .build.write import OutputError, OutputUnavailable

    try:
        result = build_site(BuildOptions(args.content, args.output, now, args.horizon_days))
    except OutputError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except OutputUnavailable as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_ENVIRONMENT
    except (KeyboardInterrupt, BuildInterrupted) as stop:
        print(f"Interrupted: the build stopped and {args.output}/ was not changed.",
              file=sys.stderr)
        return 128 + stop.signal_number if isinstance(stop, BuildInterrupted) else EXIT_INTERRUPTED
    for notice in result.notices:
        print(f"note: {notice}", file=sys.stderr)
    print_problems(result.problems)
    errors, warnings = problem_counts(result.problems)
    if errors:
        told = count(errors, "error") + (f", {count(warnings, 'warning')}" if warnings else "")
        print(f"Build failed: {told}. Nothing was written; {args.output}/ is unchanged.",
              file=sys.stderr)
        return EXIT_CONTENT_ERRORS
    print(f"Built {count(result.events, 'event')} ({count(result.occurrences, 'occurrence')} "
          f"in the horizon): {written_summary(result.written)} into {args.output}/ "
          f"in {result.seconds:.2f} s; {count(warnings, 'warning')}.")
    return EXIT_OK


def run_check(args, now: datetime) -> int:
    import time

    from .build.pipeline import check_content

    started = time.perf_counter()
    checked = check_content(args.content, now, args.horizon_days)
    print_problems(checked.problems, args.format, stream=sys.stdout if args.format == "github"
                   else None)
    errors, warnings = problem_counts(checked.problems)
    if args.explain is not None and checked.ok:
        from .tools.explain import explain_events

        print(explain_events(checked.events, args.explain, now))
    verdict = "no errors" if not errors else count(errors, "error")
    sessions = (f" and {count(checked.session_files, 'session file')}" if checked.session_files
                else "")
    print(f"Checked {count(checked.event_files, 'event file')}{sessions} in {args.content}/: "
          f"{verdict}, {count(warnings, 'warning')} "
          f"({(time.perf_counter() - started) * 1000:.0f} ms).",
          file=sys.stderr if errors else sys.stdout)
    return EXIT_CONTENT_ERRORS if errors else EXIT_OK

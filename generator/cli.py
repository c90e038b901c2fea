"""Command line: parse arguments, run a command, print problems, choose the exit code."""
from __future__ import annotations

import argparse
import sys
from datetime import date, datetime, timezone
from pathlib import Path

EXIT_OK, EXIT_CONTENT_ERRORS, EXIT_USAGE = 0, 1, 2
COMMANDS = ("build",)


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


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="build.py", description="Nextup: build a static site "
                                     "of recurring events.")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    build = commands.add_parser("build", help="build the site (the default command)")
    _add_content_options(build)
    build.add_argument("--output", type=Path, default=Path("public"),
                       help="where to write the site (default: public/)")
    return parser


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
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] not in COMMANDS and argv[0] not in ("-h", "--help"):
        argv.insert(0, "build")
    args = make_parser().parse_args(argv)
    now = args.now or datetime.now(timezone.utc).replace(microsecond=0)
    return run_build(args, now)


def print_problems(problems, stream=None) -> None:
    stream = stream or sys.stderr  # looked up now, not at import: redirection must work
    for problem in sorted(problems, key=lambda p: (p.file, p.line or 0, p.column or 0)):
        print(problem, file=stream)


def run_build(args, now: datetime) -> int:
    from .pipeline import BuildOptions, build_site
    from .write import OutputError

    try:
        result = build_site(BuildOptions(args.content, args.output, now, args.horizon_days))
    except OutputError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_USAGE
    print_problems(result.problems)
    errors = sum(p.is_error for p in result.problems)
    warnings = len(result.problems) - errors
    if errors:
        print(f"Build failed: {errors} error{'s' * (errors != 1)}"
              f"{f', {warnings} warning' + 's' * (warnings != 1) if warnings else ''}. "
              f"Nothing was written; {args.output}/ is unchanged.", file=sys.stderr)
        return EXIT_CONTENT_ERRORS
    print(f"Built {_count(result.events, 'event')}, {_count(result.occurrences, 'occurrence')}, "
          f"{_count(result.files, 'file')} into {args.output}/ in {result.seconds:.2f} s"
          f"{f' ({warnings} warning' + 's' * (warnings != 1) + ')' if warnings else ''}.")
    return EXIT_OK


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'s' * (number != 1)}"

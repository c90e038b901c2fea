"""The `import` command's arguments: separate from the importers, so that other commands
building their parser do not load them."""
from __future__ import annotations

from pathlib import Path


def add_import_parser(commands, parse_now) -> None:
    parser = commands.add_parser(
        "import", help="bring events in from the original site's export or any .ics calendar")
    kinds = parser.add_subparsers(dest="source", metavar="SOURCE", required=True)
    original = kinds.add_parser("original", help="the original site's events table, as CSV or JSON")
    original.add_argument("file", type=Path, metavar="FILE", help="events.csv or events.json")
    original.add_argument("--zone", default=None, metavar="ZONE",
                          help="re-anchor each series to its local time in this IANA zone on its "
                               "start date (fixes the old DST drift); 'recorded' uses each "
                               "event's own time_zone; default: keep the old fixed UTC times")
    calendar = kinds.add_parser("ics", help="an iCalendar (.ics) file: Google, Outlook, Apple, ...")
    calendar.add_argument("file", type=Path, metavar="FILE", help="the .ics file")
    calendar.add_argument("--zone", default=None, metavar="ZONE",
                          help="zone for all-day and floating events when the calendar names "
                               "none (default: the site's timezone)")
    calendar.add_argument("--category", default=None,
                          help="category for events whose CATEGORIES match none of the site's "
                               "(default: meeting)")
    for kind in (original, calendar):
        kind.add_argument("--into", type=Path, default=Path("content"),
                          help="the content directory to add events/ files to (default: content/)")
        kind.add_argument("--force", action="store_true",
                          help="replace event files that already exist")
        kind.add_argument("--dry-run", action="store_true",
                          help="print the report, write nothing")
        kind.add_argument("--now", type=parse_now, default=None,
                          help="pretend it is this instant (decides which events have ended)")

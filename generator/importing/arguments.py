"""The `import` command's arguments: separate from the importers, so that other commands
building their parser do not load them."""
from __future__ import annotations

from pathlib import Path


def add_import_parser(commands, parse_now) -> None:
    parser = commands.add_parser(
        "import", help="bring events in from the original site's export, any .ics calendar, "
        "or an issue written with the Propose an event form")
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
    form = kinds.add_parser("issue-form", help="an issue written with the \"Propose an event\" "
                            "form (.github/ISSUE_TEMPLATE/propose-event.yml), saved to a file")
    form.add_argument("file", type=Path, metavar="BODY_FILE", help="the issue's body, as GitHub "
                      "gives it (### headings, one per field)")
    form.add_argument("--content", type=Path, default=Path("content"),
                      help="the content directory to add the event file to (default: content/)")
    form.add_argument("--comment", type=Path, default=None, metavar="COMMENT_FILE",
                      help="also write the result as a Markdown comment for the issue")
    form.add_argument("--now", type=parse_now, default=None,
                      help="pretend it is this instant (decides which meetings are next)")

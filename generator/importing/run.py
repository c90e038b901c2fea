"""`build.py import original|ics FILE`: read, turn into drafts, place, report."""
from __future__ import annotations

import os
import stat
import sys
from datetime import datetime
from pathlib import Path

from ..content.load import display_path
from .place import ImportReport, load_site, place_drafts, report_text

from ..report import EXIT_ENVIRONMENT, EXIT_OK, EXIT_USAGE

EXIT_INCOMPLETE = 1  # something in the file was not imported (the content-error code)
# The largest file an import reads: a calendar of 10,000 events is a few megabytes. A larger
# one (or /dev/zero) would only use memory.
MAX_SOURCE_BYTES = 64 * 1024 * 1024


def run_import(args, now: datetime) -> int:
    source: Path = args.file
    try:
        data = read_source(source)
    except OSError as error:
        print(f"error: cannot read {source}: {error.strerror}", file=sys.stderr)
        return EXIT_USAGE
    except ValueError as error:
        print(f"error: {source}: {error}", file=sys.stderr)
        return EXIT_USAGE
    try:
        site, site_notes = load_site(args.into)
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_USAGE
    category = getattr(args, "category", None)
    if category is not None and category not in [c.slug for c in site.categories]:
        print(f'error: --category "{category}" is not one of the site\'s categories: '
              + ", ".join(c.slug for c in site.categories), file=sys.stderr)
        return EXIT_USAGE
    report = ImportReport(display_path(source), args.into, dry_run=args.dry_run)
    report.notes += site_notes
    if args.source == "original":
        drafts = _original_drafts(args, source, data, now, report)
    else:
        drafts = _calendar_drafts(args, source, data, now, report, site.timezone)
    if drafts is None:
        return EXIT_USAGE
    place_drafts(drafts, report, site, now, args.force, category)
    print(report_text(report))
    if report.write_error:
        print(f"error: {report.write_error}", file=sys.stderr)
        return EXIT_ENVIRONMENT
    return EXIT_OK if report.complete else EXIT_INCOMPLETE


def read_regular_file(path: Path, max_bytes: int, not_regular: str, too_large: str) -> bytes:
    """A file given on the command line, if it is a regular file of at most `max_bytes`
    (ValueError with `not_regular` or `too_large` says why not; OSError if unreadable)."""
    # Non-blocking: opening a named pipe would otherwise wait for a writer forever.
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    with open(descriptor, "rb") as handle:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            raise ValueError(f"not a regular file; {not_regular}")
        data = handle.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise ValueError(too_large)
    return data


def read_source(path: Path) -> bytes:
    """The file to import, if it is a regular file of a sane size (ValueError says why not)."""
    return read_regular_file(path, MAX_SOURCE_BYTES,
                             "give the path of a .ics, .csv or .json file",
                             f"larger than {MAX_SOURCE_BYTES // (1024 * 1024)} MB; import it in "
                             "parts, or export a shorter period")


def _original_drafts(args, source: Path, data: bytes, now: datetime, report: ImportReport):
    from .original import RecordError, draft_from_record, read_export, zone_choice_problem

    problem = zone_choice_problem(args.zone)
    if problem:
        print(f"error: {problem}", file=sys.stderr)
        return None
    try:
        records = read_export(source, data.decode("utf-8-sig"))
    except (ValueError, UnicodeDecodeError) as error:
        print(f"error: {error}", file=sys.stderr)
        return None
    report.notes.append("Times: " + (
        "kept at the fixed UTC times the original site used (--zone re-anchors them)"
        if args.zone is None else
        "each series re-anchored to its own time_zone" if args.zone == "recorded" else
        f"each series re-anchored to its local time in {args.zone}"))
    drafts = []
    for record in records:
        try:
            drafts.append(draft_from_record(record, args.zone, now))
        except RecordError as error:
            report.failed.append((record.where, (f"{error.field}: " if error.field else "")
                                  + error.message + (f"; {error.hint}" if error.hint else "")))
    return drafts


def _calendar_drafts(args, source: Path, data: bytes, now: datetime, report: ImportReport,
                     site_zone: str):
    from ..schedule.zones import is_known_zone
    from .calendar import CalendarError, DefaultZone, read_calendar

    if args.zone is not None and not is_known_zone(args.zone):
        print(f'error: --zone "{args.zone}" is not an IANA zone name; write one like '
              "Europe/London", file=sys.stderr)
        return None
    try:
        imported = read_calendar(data, display_path(source), DefaultZone(site_zone, args.zone),
                                 now)
    except CalendarError as error:
        print(f"error: {error}", file=sys.stderr)
        return None
    report.notes += imported.notes
    report.failed += imported.skipped
    return imported.drafts

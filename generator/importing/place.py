"""Drafts -> event files: unique names, the site's categories, a check with the real validator
and the real expansion against what the source said, then files written (never over an
existing one unless forced), and the report."""
from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from pathlib import Path

from ..render.language import language_for
from ..render.words import schedule_in_words
from ..schedule.expand import expand_occurrences
from ..content.load import display_path, parse_event_text
from ..model import Site
from ..content.validate import read_site, validate_event
from ..text import slugify
from .draft import APPROXIMATED, INFO, REVIEW, Draft, event_file_text

CHECK_FROM, CHECK_UNTIL = timedelta(days=1), timedelta(days=365)
FALLBACK_CATEGORY = "meeting"


@dataclass
class Placed:
    draft: Draft
    path: Path
    text: str
    schedule: str = ""  # in words, from the validated event
    checked: int | None = None  # meetings compared with the source, None if not compared


@dataclass
class ImportReport:
    source: str
    into: Path
    written: list[Placed] = field(default_factory=list)
    kept: list[Placed] = field(default_factory=list)  # exists; not overwritten
    failed: list[tuple[str, str]] = field(default_factory=list)  # (where, why) not imported
    notes: list[str] = field(default_factory=list)  # about the whole import
    dry_run: bool = False
    write_error: str | None = None  # the disk failed: what, in one line
    unwritten: list[Placed] = field(default_factory=list)  # not written because of it

    @property
    def complete(self) -> bool:
        return not self.kept and not self.failed


def load_site(into: Path) -> tuple[Site, list[str]]:
    """The target site's settings (categories, zone), or defaults when it has no site.toml."""
    site, problems = read_site(into)
    if site is None:
        raise ValueError("; ".join(str(p) for p in problems if p.is_error)
                         or f"{display_path(into / 'site.toml')} cannot be read")
    return site, [str(p) for p in problems]


def place_drafts(drafts: list[Draft], report: ImportReport, site: Site, now: datetime,
                 force: bool, default_category: str | None = None) -> ImportReport:
    events_dir = report.into / "events"
    categories = [c.slug for c in site.categories]
    fallback = default_category or (FALLBACK_CATEGORY if FALLBACK_CATEGORY in categories
                                    else categories[0])
    taken: dict[str, str] = {}
    for draft in drafts:
        _choose_category(draft, site, fallback)
        slug = _unique_slug(draft, taken)
        path = events_dir / f"{slug}.md"
        text = event_file_text(draft)
        placed = Placed(draft, path, text)
        event, problems = _validate(text, path, categories)
        errors = [p for p in problems if p.is_error]
        if errors:  # a bug in an importer, or input we cannot express: say exactly what
            report.failed.append((draft.source, "the event file it would make is not valid: "
                                  + "; ".join(f"{p.field or ''} {p.message}".strip() for p in errors)))
            continue
        if event is not None:
            placed.schedule = schedule_in_words(event, language_for("en")) + (" (draft)" if draft.draft else "")
            placed.checked = _compare_with_source(draft, event, now)
            _forget_source(draft)
        if path.exists() and not force:
            report.kept.append(placed)
            continue
        report.written.append(placed)
    if not report.dry_run:
        _write_all(report, events_dir)
    return report


def _write_all(report: ImportReport, events_dir: Path) -> None:
    """Write the files in turn; at the first the disk refuses (full, read-only), stop, and
    record which were not written. Each file is written whole or not at all."""
    written = 0
    try:
        events_dir.mkdir(parents=True, exist_ok=True)
        for placed in report.written:
            _write_atomically(placed.path, placed.text)
            written += 1
    except OSError as error:
        failed = Path(error.filename) if error.filename else report.written[written].path
        if failed.name.startswith(f".{report.written[written].path.name}."):
            failed = report.written[written].path  # its temporary file: name the file itself
        report.write_error = f"cannot write {display_path(failed)}: {error.strerror or error}"
        report.written, report.unwritten = report.written[:written], report.written[written:]


def _choose_category(draft: Draft, site: Site, fallback: str) -> None:
    names = [n.strip() for n in draft.category.split(",") if n.strip()]
    for name in names:
        for category in site.categories:
            if slugify(name) == category.slug or name.lower() == category.label.lower():
                draft.category = category.slug
                return
    draft.category = fallback
    if names:
        allowed = ", ".join(c.slug for c in site.categories)
        draft.note(APPROXIMATED, f"category {' / '.join(names)} is not one of the site's "
                   f"({allowed}): filed under {fallback}; add it to categories in site.toml "
                   "and change the file if it deserves its own")


def _unique_slug(draft: Draft, taken: dict[str, str]) -> str:
    slug = draft.slug[:80].strip("-") or "event"
    if slug in taken:
        number = 2
        while f"{slug}-{number}" in taken:
            number += 1
        draft.note(REVIEW, f'another imported event ({taken[slug]}) is also called "{slug}": '
                   f"this one is {slug}-{number}")
        slug = f"{slug}-{number}"
    taken[slug] = draft.source
    draft.slug = slug
    return slug


def _validate(text: str, path: Path, categories: list[str]):
    """The file as `build` will read it."""
    raw, problems = parse_event_text(path, text)
    if raw is None:
        return None, problems
    event, event_problems = validate_event(raw, categories)
    if event is None and raw.data.get("draft") is True and not any(p.is_error for p in event_problems):
        # A draft validates to nothing; its schedule is still worth describing and checking.
        undrafted = replace(raw, data={k: v for k, v in raw.data.items() if k != "draft"})
        event, _ = validate_event(undrafted, categories)
    return event, problems + event_problems


def _compare_with_source(draft: Draft, event, now: datetime) -> int | None:
    """How many meetings of the coming year were compared with the source's own; a note on the
    draft for each kind of difference."""
    if draft.source_meetings is not None:
        draft.expected, draft.expected_until = draft.source_meetings()
    if draft.expected is None:
        return None
    begin, end = now + CHECK_FROM, now + CHECK_UNTIL
    if draft.expected_until is not None:
        end = max(begin, min(end, draft.expected_until))
    built = {(o.start, o.end, o.title) for o in expand_occurrences(event, begin, end)
             if begin <= o.start < end}
    expected = {m for m in draft.expected if begin <= m[0] < end}
    if built == expected:
        return len(expected)
    missing, extra = sorted(expected - built), sorted(built - expected)
    shown = []
    if missing:
        shown.append(f"{len(missing)} meeting(s) of the source are not in the file (first: "
                     f"{_utc(missing[0][0])})")
    if extra:
        shown.append(f"{len(extra)} meeting(s) are in the file but not in the source (first: "
                     f"{_utc(extra[0][0])})")
    draft.note(REVIEW, "differs from the source in the coming year: " + "; ".join(shown))
    return len(expected)


def _forget_source(draft: Draft) -> None:
    """Once compared, the source's meetings are not needed again (a large calendar has
    millions)."""
    if draft.source_meetings is not None:
        draft.expected = None


def _utc(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC")


def _write_atomically(path: Path, text: str) -> None:
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as out:
            out.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


# --- the report -------------------------------------------------------------------------------

def report_text(report: ImportReport) -> str:
    lines = []
    verb = "Would import" if report.dry_run else "Imported"
    events_dir = display_path(report.into / "events")
    lines.append(f"{verb} {_count(len(report.written), 'event')} from {report.source} into "
                 f"{events_dir}/.")
    lines += [f"  {note}" for note in report.notes]
    width = max((len(p.path.name) for p in report.written + report.kept), default=0)
    for placed in report.written:
        lines.append(f"  {placed.path.name:<{width}}  {placed.draft.title}: {placed.schedule}")
        lines += [f"  {'':<{width}}    {note.text}" for note in placed.draft.notes
                  if note.kind == INFO]
    for kind, heading in ((APPROXIMATED, "Approximated"), (REVIEW, "Needs a human look")):
        found = [(placed, note) for placed in report.written + report.kept
                 for note in placed.draft.notes if note.kind == kind]
        if found:
            lines += ["", f"{heading} ({len(found)}):"]
            lines += [f"  {placed.path.name}: {note.text}" for placed, note in found]
    if report.kept:
        lines += ["", f"Not overwritten ({len(report.kept)}): these files exist; pass --force to "
                  "replace them, or import into another directory with --into:"]
        lines += [f"  {display_path(p.path)}  ({p.draft.source})" for p in report.kept]
    if report.unwritten:
        lines += ["", f"Not written ({len(report.unwritten)}): {report.write_error}; run the "
                  "import again once there is room (files already written are kept unless "
                  "--force):"]
        lines += [f"  {display_path(p.path)}  ({p.draft.source})" for p in report.unwritten]
    if report.failed:
        lines += ["", f"Not imported ({len(report.failed)}):"]
        lines += [f"  {where}: {why}" for where, why in report.failed]
    compared = [p for p in report.written if p.checked is not None]
    if compared:
        differing = [p for p in compared if any(n.kind == REVIEW and n.text.startswith("differs")
                                                for n in p.draft.notes)]
        meetings = sum(p.checked for p in compared)
        lines += ["", f"Checked: {len(compared) - len(differing)} of {len(compared)} events "
                  f"give the same meetings as the source over the coming year "
                  f"({_count(meetings, 'meeting')} compared)."]
    if report.written and not report.dry_run:
        lines.append(f"Next: python build.py check --content {display_path(report.into)} --explain")
    return "\n".join(lines)


def _count(number: int, word: str) -> str:
    return f"{number} {word}" + ("" if number == 1 else "s")

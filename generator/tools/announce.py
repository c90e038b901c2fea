"""`build.py announce`: post "EuroAsia Scrum starts in 10 minutes: join …" to chat, from the
published feed, once per occurrence.

A run announces the occurrences whose announce moment (start minus site.toml's lead_minutes)
lies in its window (since, until]. The windows of successive runs follow one another, so each
moment lies in exactly one of them: `--since github` takes them from the GitHub Actions API
(tools/actions_runs.py); `--since INSTANT` is for any other scheduler that remembers its last
run. An occurrence already under way by more than the lead (a very late run) is not announced:
the run says so instead. Nothing is stored anywhere: the state is the feed and the clock.
"""
from __future__ import annotations

import json
import os
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from ..content.load import display_path
from ..content.validate import read_site
from ..model import Announce, Site
from ..report import (EXIT_CONTENT_ERRORS, EXIT_ENVIRONMENT, EXIT_OK, EXIT_USAGE, count,
                      print_problems)
from ..text import FORBIDDEN_IN_SETTINGS
from .actions_runs import RunsUnavailable, window_from_runs
from .webhooks import (DISCORD_VARIABLE, MATRIX, MATRIX_VARIABLES, SLACK_VARIABLE, USER_AGENT,
                       deliver, escape_for, webhooks_from_environment)

# Some posts failed; the others went out, and the window counts as announced (a later run does
# not repeat it). The message names each failed post.
EXIT_NOT_DELIVERED = 4
# The window when nothing says where the last run ended: the workflow's schedule interval.
DEFAULT_WINDOW = timedelta(minutes=5)
FEED_TIMEOUT_SECONDS = 20
FEED_ATTEMPTS = 3
MAX_FEED_BYTES = 64 * 1024 * 1024
GITHUB_VARIABLES = ("GITHUB_API_URL", "GITHUB_REPOSITORY", "GITHUB_RUN_ID", "GITHUB_TOKEN")


@dataclass(frozen=True, slots=True)
class Occurrence:
    """One occurrence of the feed, as an announcement needs it."""

    slug: str
    title: str
    category: str
    start: datetime
    end: datetime
    url: str | None  # the occurrence's join link, else the event's
    page: str  # the session's page when it has one, else the event's

    @property
    def key(self) -> str:
        """Names the occurrence in every run: its event and start."""
        return f"{self.slug}@{self.start:%Y-%m-%dT%H:%M:%SZ}"


class FeedUnusable(Exception):
    pass


def run_announce(args, now: datetime, environ=os.environ, sleep=time.sleep) -> int:
    site, problems = read_site(args.content)
    if site is None:
        print_problems(problems)
        return EXIT_CONTENT_ERRORS
    hooks, wrong = webhooks_from_environment(environ)
    for line in wrong:
        _say(f"error: {line}", error=True)
    if wrong:
        return EXIT_USAGE
    if not hooks and not args.dry_run:
        _say(f"error: no webhook is configured: set {SLACK_VARIABLE}, {DISCORD_VARIABLE} or "
             f"{', '.join(MATRIX_VARIABLES)} (see docs/announce.md), or use --dry-run",
             error=True)
        return EXIT_USAGE
    try:
        since, until, told = _window(args.since, now, environ)
    except ValueError as error:
        _say(f"error: {error}", error=True)
        return EXIT_USAGE
    except RunsUnavailable as error:
        _say(f"error: {error}; nothing was announced, and the next run covers this window",
             error=True)
        return EXIT_ENVIRONMENT
    source = args.feed or site.base_url + "events.json"
    try:
        feed = read_feed(source, sleep)
        occurrences, notes = feed_occurrences(feed, source)
    except FeedUnusable as error:
        _say(f"error: {error}; nothing was announced, and the next run covers this window",
             error=True)
        return EXIT_ENVIRONMENT
    chosen, unknown = choose(occurrences, site.announce, feed)
    notes += [f'{display_path(args.content / "site.toml")}: announce.events: no event '
              f'"{slug}" in the feed; nothing of it is announced' for slug in unknown]
    horizon = _parse_instant(feed.get("horizon_end"))
    if horizon is not None and horizon < until:
        notes.append(f"{source}: the feed ends at {_z(horizon)}, before this window ends; "
                     "is the site still refreshed?")
    due, late = due_in_window(chosen, site.announce.lead_minutes, since, until, now)
    for note in notes:
        _say(f"note: {note}")
    _say(f"Window {_z(since)} to {_z(until)} ({told}): {count(len(due), 'announcement')} due"
         + (f", {len(late)} late" if late else "") + ".")
    _tell_late(late, site.announce.lead_minutes, now)
    if args.dry_run:
        for occurrence in due:
            for where in [f" to {hook.label}" for hook in hooks] or [""]:
                _say(f"would post{where}: {message(site, occurrence, now, MATRIX)}")
        return EXIT_OK
    failed = _post(site, due, hooks, now, sleep)
    if failed:
        _say(f"Announce failed: {count(failed, 'post')} did not go out (named above); the others "
             "did.", error=True)
        return EXIT_NOT_DELIVERED
    return EXIT_OK


def _tell_late(late: list[Occurrence], lead_minutes: int, now: datetime) -> None:
    for occurrence in late:
        moment = occurrence.start - timedelta(minutes=lead_minutes)
        behind = round((now - moment).total_seconds() / 60)
        _say(f"late: {occurrence.title} ({_z(occurrence.start)}) {starts_words(occurrence, now)}; "
             f"too late to announce (this run came {_duration(behind)} after its announce "
             "moment)")


def _post(site: Site, due: list[Occurrence], hooks, now: datetime, sleep) -> int:
    """Post each occurrence to each webhook; the number of posts that failed."""
    failed = 0
    for occurrence in due:
        for hook in hooks:
            delivery = deliver(hook, message(site, occurrence, now, hook.service),
                               occurrence.key, sleep)
            if delivery.ok:
                _say(f"{delivery.detail} to {hook.label}: {message(site, occurrence, now, MATRIX)}")
            else:
                failed += 1
                _say(f"error: {hook.label}: {occurrence.key}: {delivery.detail}", error=True)
    return failed


# --- the window ---------------------------------------------------------------------------------

def _window(since: datetime | str | None, now: datetime,
            environ) -> tuple[datetime, datetime, str]:
    """(since, until, how since was found). `since`: an instant, "github" or None."""
    if since == "github":
        missing = [name for name in GITHUB_VARIABLES if not environ.get(name)]
        if missing:
            raise ValueError(f"--since github needs {', '.join(missing)} (set in GitHub "
                             "Actions; GITHUB_TOKEN from the workflow's env)")
        window = window_from_runs(environ["GITHUB_API_URL"], environ["GITHUB_REPOSITORY"],
                                  environ["GITHUB_RUN_ID"], environ["GITHUB_TOKEN"])
        if window.since is None:
            return (window.until - DEFAULT_WINDOW, window.until,
                    f"no earlier run covered a window: the last {DEFAULT_WINDOW.seconds // 60}"
                    " minutes")
        return window.since, window.until, f"after {window.covered_by}"
    if since is None:
        return now - DEFAULT_WINDOW, now, f"the last {DEFAULT_WINDOW.seconds // 60} minutes"
    if since > now:
        raise ValueError(f"--since {_z(since)} is after --now {_z(now)}")
    return since, now, "from --since"


def due_in_window(occurrences: list[Occurrence], lead_minutes: int, since: datetime,
                  until: datetime, now: datetime) -> tuple[list[Occurrence], list[Occurrence]]:
    """(to announce, too late to announce): the occurrences whose announce moment is in
    (since, until]; too late: under way for more than the lead, or over, at `now`."""
    lead = timedelta(minutes=lead_minutes)
    due, late = [], []
    for occurrence in occurrences:
        if since < occurrence.start - lead <= until:
            stale = now >= occurrence.start + lead or now >= occurrence.end
            (late if stale else due).append(occurrence)
    return due, late


# --- the feed -----------------------------------------------------------------------------------

def read_feed(source: str, sleep=time.sleep) -> dict:
    if source.startswith(("https://", "http://")):
        data = _fetch(source, sleep)
    else:
        try:
            with open(source, "rb") as file:
                data = file.read(MAX_FEED_BYTES + 1)
        except OSError as error:
            raise FeedUnusable(f"{source}: cannot be read ({error.strerror})") from None
    if len(data) > MAX_FEED_BYTES:
        raise FeedUnusable(f"{source}: larger than {MAX_FEED_BYTES // 1024 // 1024} MB")
    try:
        feed = json.loads(data.decode("utf-8"))
    except ValueError as error:
        raise FeedUnusable(f"{source}: not JSON ({error})") from None
    if not isinstance(feed, dict) or feed.get("version") != 1:
        raise FeedUnusable(f"{source}: not a Nextup events.json (version 1)")
    return feed


def _fetch(address: str, sleep) -> bytes:
    detail = ""
    for attempt in range(1, FEED_ATTEMPTS + 1):
        request = urllib.request.Request(address, headers={"User-Agent": USER_AGENT})
        try:
            with urllib.request.urlopen(request, timeout=FEED_TIMEOUT_SECONDS) as answer:
                return answer.read(MAX_FEED_BYTES + 1)
        except urllib.error.HTTPError as error:
            detail = f"answered {error.code} {error.reason}"
            if error.code < 500 and error.code != 429:
                break
        except (urllib.error.URLError, OSError) as error:
            detail = f"cannot be fetched ({getattr(error, 'reason', error)})"
        if attempt < FEED_ATTEMPTS:
            sleep(2 ** attempt)
    raise FeedUnusable(f"{address}: {detail}")


def feed_occurrences(feed: dict, source: str) -> tuple[list[Occurrence], list[str]]:
    """The feed's occurrences that take place (cancelled ones never), in start order, and notes
    on entries that cannot be read (each skipped, located by its index)."""
    events = feed.get("events")
    listed = feed.get("occurrences")
    if not isinstance(events, dict) or not isinstance(listed, list):
        raise FeedUnusable(f"{source}: has no events table or no occurrences list")
    notes, found, seen = [], [], set()
    for index, entry in enumerate(listed):
        where = f"{source}: occurrences[{index}]"
        named = entry.get("event") if isinstance(entry, dict) else None
        event = events.get(named) if isinstance(named, str) else None
        if not isinstance(event, dict):
            notes.append(f"{where}: no event of that name in the feed; skipped")
            continue
        start, end = _parse_instant(entry.get("start")), _parse_instant(entry.get("end"))
        if start is None or end is None:
            notes.append(f"{where}: start or end is not an instant like 2027-01-21T07:00:00Z; "
                         "skipped")
            continue
        if event.get("status") in ("cancelled", "postponed") or start in _cancelled(event):
            continue
        slug = named
        occurrence = Occurrence(
            slug=slug, title=str(entry.get("title") or event.get("title") or slug),
            category=str(event.get("category") or ""), start=start, end=end,
            url=_text(entry.get("url")) or _text(event.get("url")),
            page=_session_page(_text(event.get("page")) or "", _text(entry.get("session"))))
        if occurrence.key not in seen:
            seen.add(occurrence.key)
            found.append(occurrence)
    found.sort(key=lambda o: (o.start, o.slug))
    return found, notes


def _cancelled(event: dict) -> set[datetime]:
    entries = event.get("cancelled") if isinstance(event.get("cancelled"), list) else []
    return {_parse_instant(entry.get("start")) for entry in entries if isinstance(entry, dict)}


def _session_page(event_page: str, session: str | None) -> str:
    return f"{event_page}{session}/" if session and event_page.endswith("/") else event_page


def choose(occurrences: list[Occurrence], settings: Announce,
           feed: dict) -> tuple[list[Occurrence], list[str]]:
    """(the occurrences [announce] selects, the event slugs it names that the feed lacks)."""
    unknown = [slug for slug in settings.events if slug not in feed["events"]]
    if not settings.categories and not settings.events:
        return occurrences, unknown
    return [o for o in occurrences
            if o.category in settings.categories or o.slug in settings.events], unknown


# --- the message ----------------------------------------------------------------------------

def message(site: Site, occurrence: Occurrence, now: datetime, service: str) -> str:
    """site.toml's message for one occurrence, its values escaped for `service`."""
    url = occurrence.url or occurrence.page
    values = {"title": escape_for(service, occurrence.title),
              "starts": starts_words(occurrence, now),
              "time": f"{occurrence.start:%H:%M} UTC",
              "url": escape_for(service, url, is_address=True),
              "page": escape_for(service, occurrence.page, is_address=True)}
    return site.announce.message.format(**values)


def starts_words(occurrence: Occurrence, now: datetime) -> str:
    """"starts in 10 minutes", "is starting now", "started 3 minutes ago"."""
    minutes = round((occurrence.start - now).total_seconds() / 60)
    if minutes == 0:
        return "is starting now"
    return (f"starts in {_duration(minutes)}" if minutes > 0
            else f"started {_duration(-minutes)} ago")


def _duration(minutes: int) -> str:
    hours, minutes = divmod(minutes, 60)
    parts = ([count(hours, "hour")] if hours else []) + ([count(minutes, "minute")] if minutes
                                                         else [])
    return " ".join(parts)


# --- small things -------------------------------------------------------------------------------

def _parse_instant(text) -> datetime | None:
    if not isinstance(text, str) or not text.endswith("Z"):
        return None
    try:
        return datetime.fromisoformat(text[:-1] + "+00:00").astimezone(timezone.utc)
    except ValueError:
        return None


def _text(value) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def _z(moment: datetime) -> str:
    return f"{moment.astimezone(timezone.utc):%Y-%m-%dT%H:%M:%SZ}"


def _say(line: str, error: bool = False) -> None:
    """One line of the report, with control characters from the feed written as escapes."""
    line = FORBIDDEN_IN_SETTINGS.sub(
        lambda m: m.group().encode("unicode_escape").decode("ascii"), line)
    print(line, file=sys.stderr if error else sys.stdout, flush=True)

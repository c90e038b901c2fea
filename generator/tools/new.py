"""`build.py new "Title"`: write a new event file with every field present and explained, ready
to edit. It passes `check` as written: a weekly event starting next week."""
from __future__ import annotations

import sys
from datetime import datetime, timedelta
from urllib.parse import quote

from ..schedule.dates import WEEKDAYS
from ..content.load import display_path
from ..text import FORBIDDEN_IN_SETTINGS, character_words, is_slug, slugify
from ..report import print_problems
from ..content.validate import DEFAULT_TEXT_LIMIT, read_site
from ..schedule.zones import get_zone, is_known_zone

TEMPLATE = '''+++
# {title}: one event, and every time it repeats. Lines starting with # are notes for you;
# delete them or leave them. Check your work with:  python build.py check --explain {slug}

title = "{title_toml}"
# One of: {categories}
category = "{category}"
# The time zone the event is planned in (IANA name). Times below are wall-clock times there:
# a 10:00 meeting stays at 10:00 in this zone when clocks change.
timezone = "{timezone}"
# The first meeting: date and local time, no quotes. If it is not on a day the repeat
# below picks, the series starts on the first day that is.
start = {start}
# Length in minutes.
duration = 30
# All day instead: delete start and duration and write the day, e.g. date = {start_date}
# (and end_date = <the last day, included> or days = 3 for several days in a row). With start
# and duration, days = 3 makes a one-off event meet at that time on three days in a row.
# Where people join (optional).
url = "https://meet.jit.si/{url_room}"
# Optional: which project this belongs to, and who it is for.
# project = "websiteone"
# audience = "All members"
# Optional: a page elsewhere (Meetup, a form) where people say they are coming. Nextup has
# no server and keeps no RSVPs; the event's page shows a button to this page.
# rsvp_url = "https://www.meetup.com/our-group/events/123/"
# Optional: a picture, shown on the page and in link previews: a file under content/ (its
# path from there) or an https:// address; image_alt says what it shows, for people who
# cannot see it (needed with image).
# image = "https://photos.example.org/{slug}.jpg"   # or "images/{slug}.jpg": content/images/{slug}.jpg
# image_alt = "What the picture shows, in one sentence"
# Optional: one sentence for lists and feeds (otherwise the first paragraph below is used).
# summary = "What happens, in one sentence."
# While true, the event is left out of every page and feed.
draft = false
# No meeting on a region's public holidays: a country code, or country-subdivision
# ("GB-ENG", "DE-BY", "US-CA", "BR"). false: meet on holidays, whatever site.toml says.
# skip_holidays = "GB-ENG"
# A date by which an organiser confirms the series still meets; after it, check warns and the
# page says it is not confirmed. Move it forward each time someone confirms.
# review_by = {review_by}
# The whole event cancelled ("cancelled") or put off with no new date yet ("postponed"),
# with the reason shown at the top of its page. Its dates leave every list and feed.
# status = "cancelled"
# reason = "The organisers have moved on; see the Thursday pairing instead."
# Cancel single meetings: local start times, or whole dates.
# exdates = [{exdate}]
# Extra meetings outside the pattern: local start times (same length as the others).
# rdates = [{rdate}]
# Instead of the [repeat] table below, an RFC 5545 rule, for calendar experts:
# rrule = "FREQ=WEEKLY;BYDAY={byday}"

# How it repeats. Delete this table for a one-off event. (Tables like [repeat] come after
# the fields above.)
[repeat]
every = "week"        # "day", "week", "month" or "year"
interval = 1          # 2 = every other week
on = ["{weekday}"]         # weekdays: "mon", "tue", ... ; monthly: "second tue", "last fri", 15
# at = ["10:00", "16:00"]  # several times a day, each at the local time (otherwise start's)
# until = {until}  # last day, included (or: count = 10)

# Where people meet in person (optional: without it the event is online). With url above
# too, it is hybrid: in the room and online. The page links to the place on OpenStreetMap.
# [location]
# name = "Central Library, Room 3"         # the venue, as its sign says
# address = ["Calverley Street", "LS1 3AB"]  # one line in quotes, or a list of lines
# locality = "Leeds"                        # town or city: lists show "In person · Leeds"
# country = "GB"                            # two-letter code (ISO 3166-1)
# geo = [53.8004, -1.5487]                  # latitude, longitude (openstreetmap.org: right-click, Show address)
# notes = "Second floor, past the lifts"    # how to find the room

# Move or change a single meeting: original = the start it would have had.
# [[overrides]]
# original = {override}
# start = {override_moved}
# duration = 45
# title = "{title_toml} (longer this time)"
+++
What happens at {title}, who it is for, and how to join. Markdown works: **bold**, lists, links.
'''


def _next_week_start(zone: str, now: datetime) -> datetime:
    """Next week's same weekday at 10:00 local: far enough ahead to edit, near enough to show."""
    local_today = now.astimezone(get_zone(zone)).date()
    return datetime.combine(local_today + timedelta(days=7), datetime.min.time()).replace(hour=10)


def new_event_text(title: str, slug: str, category: str, categories: list[str], zone: str,
                   now: datetime) -> str:
    start = _next_week_start(zone, now)
    weekday = WEEKDAYS[start.weekday()][:3].lower()
    # A room name for the example link: the slug's words, percent-encoded if not ASCII.
    room = quote("".join(w.capitalize() for w in slug.split("-")))
    return TEMPLATE.format(
        title=title, slug=slug, title_toml=title.replace("\\", "\\\\").replace('"', '\\"'),
        categories=", ".join(categories), category=category, timezone=zone,
        start=start.isoformat(), start_date=start.date().isoformat(), weekday=weekday, url_room=room,
        until=(start + timedelta(days=182)).date().isoformat(), byday=weekday[:2].upper(),
        review_by=(start + timedelta(days=182)).date().isoformat(),
        exdate=(start + timedelta(weeks=2)).isoformat(),
        rdate=(start + timedelta(weeks=2, days=1)).isoformat(), override=(start + timedelta(weeks=3)).isoformat(),
        override_moved=(start + timedelta(weeks=3, hours=1)).isoformat())


def run_new(args, now: datetime) -> int:
    site, problems = read_site(args.content)
    if site is None:
        print_problems(problems)
        return 1
    categories = [c.slug for c in site.categories]
    category = args.category or categories[0]
    zone = args.timezone or site.timezone
    if category not in categories:
        print(f'error: unknown category "{category}"; the site has: {", ".join(categories)}',
              file=sys.stderr)
        return 2
    if not is_known_zone(zone):
        from ..content.hints import zone_hint

        print(f'error: unknown zone "{zone}"; {zone_hint(zone)}', file=sys.stderr)
        return 2
    title = args.title.strip()
    unwanted = FORBIDDEN_IN_SETTINGS.search(title)
    if unwanted or len(title) > DEFAULT_TEXT_LIMIT:
        problem = (f"the title holds {character_words(unwanted.group())}" if unwanted else
                   f"the title is longer than {DEFAULT_TEXT_LIMIT} characters")
        print(f"error: {problem}; give the title as one line of plain text", file=sys.stderr)
        return 2
    # The same rule as for every address: letters of any script and digits, hyphens between.
    slug = slugify(title)
    if not is_slug(slug):
        print(f'error: cannot make a file name from "{title}"; use letters or digits',
              file=sys.stderr)
        return 2
    path = args.content / "events" / f"{slug}.md"
    if path.exists():
        print(f"error: {display_path(path)} already exists; choose another title", file=sys.stderr)
        return 2
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(new_event_text(title, slug, category, categories, zone, now),
                    encoding="utf-8")
    print(f"Wrote {display_path(path)}. Edit it, then check it with:\n"
          f"  python build.py check --explain {slug}")
    return 0

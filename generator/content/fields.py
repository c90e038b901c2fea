"""The field catalogue: every field an editor writes, in the order an event file lists them,
with the hint that explains it and the kind of value it takes.

One source for the two places an editor meets the fields: `build.py new` writes each hint as
comment lines above its field (tools/new.py), and the CMS at /admin/ shows it under the field's
input, with an input made for the kind (render/admin.py). What the values must be is checked by
validate.py, whose EVENT_FIELDS names the same fields (tests/test_fields.py holds them together).

`example` is the value `new` writes, a str.format template over new's sample values ({start},
{weekday}...); `written` says whether `new` writes the line or leaves it commented out for the
editor to switch on.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..schedule.dates import WEEKDAYS
from .rules import REPEAT_KEYS
from .location import LOCATION_FIELDS

# The kinds of value, each with its own input in the CMS (render/admin.py CMS_WIDGETS).
KINDS = ("text", "category", "timezone", "local_datetime", "local_date", "minutes", "whole_number",
         "boolean", "local_datetimes", "texts", "web_address", "status", "repeat_every",
         "repeat_on", "clock_times", "numbers", "table", "tables")


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    hint: str
    kind: str
    example: str = ""
    written: bool = False
    required: bool = False
    fields: tuple["Field", ...] = ()  # a table's own fields ([repeat], [[overrides]]...)
    options: tuple[str, ...] = ()
    singular: str = ""  # a list's word for one of its items: "Add cancelled meeting"

    def __post_init__(self):
        assert self.kind in KINDS, self.kind


WEEKDAY_WORDS = tuple(day[:3].lower() for day in WEEKDAYS)
# What `on` takes in a monthly or yearly [repeat] besides weekdays (content/rules.py reads them).
ORDINALS = ("first", "second", "third", "fourth", "last")
REPEAT_ON_OPTIONS = (WEEKDAY_WORDS + tuple(f"{o} {d}" for o in ORDINALS for d in WEEKDAY_WORDS)
                     + tuple(str(day) for day in range(1, 32)))

REPEAT = (
    Field("every", "Repeats every", '"day", "week", "month" or "year"', "repeat_every",
          example='"week"', written=True, required=True, options=("day", "week", "month", "year")),
    Field("interval", "Interval", "2 = every other week", "whole_number", example="1", written=True),
    Field("on", "On", 'weekdays: "mon", "tue", ... ; monthly: "second tue", "last fri", 15',
          "repeat_on", example='["{weekday}"]', written=True, options=REPEAT_ON_OPTIONS),
    Field("at", "At (several times a day)",
          'several times a day, each at the local time (otherwise start\'s)', "clock_times",
          example='["10:00", "16:00"]', singular="time"),
    Field("until", "Until", "last day, included (or: count = 10)", "local_date",
          example="{until}"),
    Field("count", "Count", "how many meetings in all (instead of until)", "whole_number"),
)

LOCATION = (
    Field("name", "Venue", "the venue, as its sign says", "text",
          example='"Central Library, Room 3"'),
    Field("address", "Address", "one line in quotes, or a list of lines", "texts",
          example='["Calverley Street", "LS1 3AB"]', singular="address line"),
    Field("locality", "Town or city", 'town or city: lists show "In person · Leeds"', "text",
          example='"Leeds"'),
    Field("country", "Country", "two-letter code (ISO 3166-1)", "text", example='"GB"'),
    Field("geo", "Latitude, longitude",
          "latitude, longitude (openstreetmap.org: right-click, Show address)", "numbers",
          example="[53.8004, -1.5487]", singular="coordinate"),
    Field("notes", "How to find the room", "how to find the room", "text",
          example='"Second floor, past the lifts"'),
)

OVERRIDE = (
    Field("original", "Original start", "the start it would have had", "local_datetime",
          example="{override}", required=True),
    Field("start", "New start", "when it meets instead", "local_datetime",
          example="{override_moved}"),
    Field("duration", "New length (minutes)", "its length this time, in minutes", "minutes",
          example="45"),
    Field("title", "Title this time", "its title this time", "text",
          example='"{title_toml} (longer this time)"'),
)

EVENT = (
    Field("title", "Title", "The event's name, as lists and calendars show it.", "text",
          example='"{title_toml}"', written=True, required=True),
    Field("category", "Category", "One of the site's categories: {categories}.", "category",
          example='"{category}"', written=True, required=True),
    Field("timezone", "Time zone",
          "The time zone the event is planned in (IANA name). Times below are wall-clock times "
          "there: a 10:00 meeting stays at 10:00 in this zone when clocks change.", "timezone",
          example='"{timezone}"', written=True, required=True),
    Field("start", "First meeting",
          "The first meeting: date and local time, no quotes. If it is not on a day the repeat "
          "below picks, the series starts on the first day that is.", "local_datetime",
          example="{start}", written=True, required=True),
    Field("duration", "Length (minutes)", "Length in minutes.", "minutes", example="30",
          written=True, required=True),
    Field("date", "All-day date",
          "All day instead: leave out start and duration and give the day.", "local_date",
          example="{start_date}"),
    Field("end_date", "Last day (all day)",
          "With date: the last day of several, included (or give days instead).", "local_date",
          example="{end_date}"),
    Field("days", "Days in a row",
          "Several days in a row: all day with date, or at the start time each day with start "
          "and duration (a one-off event only).", "whole_number", example="3"),
    Field("url", "Join link", "Where people join (optional).", "web_address",
          example='"https://meet.jit.si/{url_room}"', written=True),
    Field("project", "Project", "Optional: which project this belongs to.", "text",
          example='"websiteone"'),
    Field("audience", "Audience", "Optional: who it is for.", "text", example='"All members"'),
    Field("rsvp_url", "RSVP page",
          "Optional: a page elsewhere (Meetup, a form) where people say they are coming. Nextup "
          "has no server and keeps no RSVPs; the event's page shows a button to this page.",
          "web_address", example='"https://www.meetup.com/our-group/events/123/"'),
    Field("image", "Picture",
          "Optional: a picture, shown on the page and in link previews: a file under content/ "
          "(its path from there, like images/our-room.jpg) or an https:// address.", "text",
          example='"https://photos.example.org/{slug}.jpg"'),
    Field("image_alt", "Picture description",
          "What the picture shows, in one sentence, for people who cannot see it (needed with "
          "image).", "text", example='"What the picture shows, in one sentence"'),
    Field("summary", "Summary",
          "Optional: one sentence for lists and feeds (otherwise the first paragraph of the "
          "description is used).", "text", example='"What happens, in one sentence."'),
    Field("draft", "Draft", "While true, the event is left out of every page and feed.",
          "boolean", example="false", written=True),
    Field("skip_holidays", "Skip public holidays",
          'No meeting on a region\'s public holidays: a country code, or country-subdivision '
          '("GB-ENG", "DE-BY", "US-CA", "BR"). false: meet on holidays, whatever site.toml says.',
          "text", example='"GB-ENG"'),
    Field("review_by", "Review by",
          "A date by which an organiser confirms the series still meets; after it, check warns "
          "and the page says it is not confirmed. Move it forward each time someone confirms.",
          "local_date", example="{review_by}"),
    Field("status", "Status",
          'The whole event cancelled ("cancelled") or put off with no new date yet '
          '("postponed"), with the reason shown at the top of its page. Its dates leave every '
          "list and feed.", "status", example='"cancelled"', options=("cancelled", "postponed")),
    Field("reason", "Reason", "Why the event is cancelled or postponed, in one sentence.",
          "text", example='"The organisers have moved on; see the Thursday pairing instead."'),
    Field("exdates", "Cancelled meetings",
          "Cancel single meetings: local start times, or whole dates.", "local_datetimes",
          example="[{exdate}]", singular="cancelled meeting"),
    Field("rdates", "Extra meetings",
          "Extra meetings outside the pattern: local start times (same length as the others).",
          "local_datetimes", example="[{rdate}]", singular="extra meeting"),
    Field("rrule", "Rule (RFC 5545)",
          "Instead of the [repeat] table, an RFC 5545 rule, for calendar experts.", "text",
          example='"FREQ=WEEKLY;BYDAY={byday}"'),
    Field("repeat", "How it repeats",
          "How it repeats. Leave it out for a one-off event.", "table", fields=REPEAT),
    Field("location", "Where people meet in person",
          "Where people meet in person (optional: without it the event is online). With a join "
          "link too, it is hybrid: in the room and online. The page links to the place on "
          "OpenStreetMap.", "table", fields=LOCATION),
    Field("overrides", "Moved or changed meetings",
          "Move or change a single meeting: original = the start it would have had.", "tables",
          fields=OVERRIDE, singular="moved or changed meeting"),
)

SESSION_LINK = (
    Field("title", "Title", "what it is", "text", example='"Slides"', required=True),
    Field("url", "Address", "an https:// address", "web_address",
          example='"https://slides.example.org/..."', required=True),
)

SESSION = (
    Field("title", "Title", "What the session was about.", "text", example='"Sprint 42 review"'),
    Field("host", "Hosts", "Who ran it: one name, or a list of names.", "texts",
          example='["Sam Joseph", "Ana Lima"]', singular="host"),
    Field("recording", "Recording",
          "The recording, an https:// address (YouTube, PeerTube, Vimeo...): pages link to it.",
          "web_address", example='"https://www.youtube.com/watch?v=..."'),
    Field("url", "Join link", "A join link for this meeting only, instead of the event's.",
          "web_address", example='"https://meet.jit.si/{slug}-this-time"'),
    Field("reason", "Note",
          'A short note shown beside the date ("In room 4 this time"); with status, why it is '
          "cancelled.", "text", example='"In room 4 this time"'),
    Field("status", "Cancelled",
          "The meeting does not take place (give the reason above): it leaves every list and "
          "feed, and calendars show it cancelled.", "status", example='"cancelled"',
          options=("cancelled",)),
    Field("links", "Links", "Slides, a write-up, a pull request: one [[links]] table each.",
          "tables", fields=SESSION_LINK, singular="link"),
)


def field_names(fields: tuple[Field, ...]) -> tuple[str, ...]:
    return tuple(f.name for f in fields)


assert field_names(REPEAT) == REPEAT_KEYS
assert field_names(LOCATION) == LOCATION_FIELDS


# Zones most communities plan in, offered first after the site's and its events' own.
COMMON_ZONES = ("UTC", "Europe/London", "Europe/Berlin", "Europe/Paris", "America/New_York",
                "America/Chicago", "America/Denver", "America/Los_Angeles", "America/Sao_Paulo",
                "Africa/Lagos", "Africa/Johannesburg", "Asia/Kolkata", "Asia/Singapore",
                "Asia/Tokyo", "Australia/Sydney", "Pacific/Auckland")


def timezone_options(site_zone: str, event_zones: list[str]) -> list[str]:
    """Every zone an editor should pick, commonest first: the site's, its events' (most used
    first), the COMMON_ZONES, then every canonical zone of the pinned tzdata (zone1970.tab: one
    name per zone, without the old aliases like Asia/Calcutta) in alphabetical order."""
    from collections import Counter
    from importlib import resources

    table = resources.files("tzdata.zoneinfo").joinpath("zone1970.tab").read_text("utf-8")
    canonical = sorted(line.split("\t")[2] for line in table.splitlines()
                       if line and not line.startswith("#"))
    used = [zone for zone, _ in Counter(event_zones).most_common()]
    ordered = dict.fromkeys([site_zone, *used, *COMMON_ZONES, *canonical])
    return list(ordered)

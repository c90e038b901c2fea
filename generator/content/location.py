"""Where an event meets, and where people say they are coming: the [location] table and
rsvp_url, checked the way validate.py checks every other field (each problem located, all at
once). Kept apart from validate.py, which calls `check_location` and `check_rsvp_url`."""
from __future__ import annotations

import difflib
import math
from functools import cache
from importlib import resources

from ..model import Place
from .rules import suggest
from .web_address import https_fault

LOCATION_FIELDS = ("name", "address", "locality", "country", "geo", "notes")
_LOCATION_HINT = ('write [location] on its own line after the other fields, then name = "..." '
                  'and address = "..." below it')


# Names editors write that tzdata's table spells otherwise ("Britain (UK)", "United States").
COMMON_NAMES = {"united kingdom": "GB", "uk": "GB", "great britain": "GB", "england": "GB",
                "scotland": "GB", "wales": "GB", "northern ireland": "GB", "usa": "US",
                "united states of america": "US", "deutschland": "DE", "holland": "NL"}


@cache
def country_names() -> dict[str, str]:
    """ISO 3166-1 alpha-2 code -> English name, from the pinned tzdata's iso3166.tab (the same
    data every machine has: it comes with the zones)."""
    text = resources.files("tzdata.zoneinfo").joinpath("iso3166.tab").read_text("utf-8")
    rows = (line.split("\t") for line in text.splitlines() if line and not line.startswith("#"))
    return {code: name for code, name in rows}


def check_location(report, data: dict, value_words) -> Place | None:
    """The event's Place, or None if it has none or it is wrong (the problems reported).
    `value_words` says what a wrong value is ("a list", "42"), as every message does."""
    if "location" not in data:
        return None
    table = data["location"]
    if not isinstance(table, dict):
        report.error(("location",), f"must be a [location] table, not {value_words(table)}",
                     _LOCATION_HINT)
        return None
    key = ("location",)
    for name in table:
        if name not in LOCATION_FIELDS:
            report.error(key + (name,), f'unknown field "{name}" in [location]',
                         suggest(name, LOCATION_FIELDS)
                         or "fields: " + ", ".join(LOCATION_FIELDS))
    for name, hint in (("name", 'add name = "..." (the venue, as its sign says)'),
                       ("address", 'add address = "12 Station Road" (a list for several lines)')):
        if name not in table:
            report.error(key, f"{name} is missing in [location]", hint)
    name = _text(report, table, "name", value_words)
    address = _address(report, table, value_words)
    locality = _text(report, table, "locality", value_words)
    country = _country(report, table, value_words)
    geo = _geo(report, table, value_words)
    notes = _text(report, table, "notes", value_words)
    if name is None or address is None or report.has_errors:
        return None
    return Place(name, address, locality, country, geo, notes)


def _text(report, table: dict, name: str, value_words) -> str | None:
    key = ("location", name)
    if name not in table or key in report.rejected:
        return None
    value = table[name]
    if not isinstance(value, str) or not value.strip():
        report.error(key, f"must be text in quotes, not {value_words(value)}",
                     f'write {name} = "..."')
        return None
    return value.strip()


def _address(report, table: dict, value_words) -> tuple[str, ...] | None:
    """One line of text, or a list of lines (settings hold no line breaks)."""
    key = ("location", "address")
    if "address" not in table or key in report.rejected:
        return None
    value = table["address"]
    if isinstance(value, str) and value.strip():
        return (value.strip(),)
    if value == []:
        report.error(key, "the address has no line", 'write address = "12 Station Road"')
        return None
    if not isinstance(value, list):
        report.error(key, f"must be text in quotes or a list of lines, not {value_words(value)}",
                     'write address = "12 Station Road", or address = ["Unit 4", '
                     '"12 Station Road"] for several lines')
        return None
    lines = []
    for index, line in enumerate(value):
        if key + (index,) in report.rejected:
            return None
        if not isinstance(line, str) or not line.strip():
            report.error(key + (index,), f"each line must be text in quotes, not "
                         f"{value_words(line)}", "put each line in quotes, and leave no empty one")
            return None
        lines.append(line.strip())
    return tuple(lines)


def _country(report, table: dict, value_words) -> str | None:
    """An ISO 3166-1 alpha-2 code: what schema.org's addressCountry and maps expect, and one
    spelling for every editor (names differ: "UK", "Great Britain", "United Kingdom")."""
    text = _text(report, table, "country", value_words)
    if text is None:
        return None
    codes = country_names()
    if text in codes:
        return text
    by_name = {name.casefold(): code for code, name in codes.items()} | COMMON_NAMES
    if text.upper() in codes:
        hint = f'write it in capitals: country = "{text.upper()}"'
    elif text.casefold() in by_name:
        hint = f'write country = "{by_name[text.casefold()]}" for {text}'
    else:
        close = difflib.get_close_matches(text.casefold(), list(by_name), n=1, cutoff=0.75)
        hint = (f'write country = "{by_name[close[0]]}" for {codes[by_name[close[0]]]}'
                if close else 'write the two-letter code, like "GB", "DE" or "US"')
    report.error(("location", "country"),
                 f'"{text}" is not a two-letter country code (ISO 3166-1)', hint)
    return None


def _geo(report, table: dict, value_words) -> tuple[float, float] | None:
    key = ("location", "geo")
    if "geo" not in table:
        return None
    value = table["geo"]
    if not (isinstance(value, list) and len(value) == 2 and all(
            isinstance(n, (int, float)) and not isinstance(n, bool) for n in value)):
        report.error(key, f"must be a list of two numbers, [latitude, longitude], not "
                     f"{value_words(value)}", "write geo = [53.7965, -1.5478] (no quotes)")
        return None
    latitude, longitude = (float(n) for n in value)
    good = True
    if not (math.isfinite(latitude) and -90 <= latitude <= 90):
        swapped = math.isfinite(latitude) and abs(latitude) <= 180 and abs(longitude) <= 90
        report.error(key, f"the latitude {value[0]} is out of range: it must be from -90 to 90",
                     f"latitude comes first: write geo = [{value[1]}, {value[0]}]" if swapped
                     else "copy both numbers from the map: latitude first, then longitude")
        good = False
    if not (math.isfinite(longitude) and -180 <= longitude <= 180):
        report.error(key, f"the longitude {value[1]} is out of range: it must be from -180 "
                     "to 180", "copy both numbers from the map: latitude first, then longitude")
        good = False
    return (latitude, longitude) if good else None


def check_rsvp_url(report, data: dict, value_words) -> str | None:
    """rsvp_url: an https address (visitors leave our pages for it, and give it their names)."""
    key = ("rsvp_url",)
    if "rsvp_url" not in data or key in report.rejected:
        return None
    value = data["rsvp_url"]
    if not isinstance(value, str) or not value.strip():
        report.error(key, f"must be text in quotes, not {value_words(value)}",
                     'write rsvp_url = "https://..."')
        return None
    url = value.strip()
    fault = https_fault(url)
    if fault == "http":
        report.error(key, f'"{url}" is not secure (http://)',
                     "use its https:// address: people give their names there")
        return None
    if fault is not None:
        report.error(key, f'"{url}" is not a web address',
                     'write the full address of the RSVP page, like '
                     '"https://www.meetup.com/our-group/events/123/"')
        return None
    return url

"""Hints for zone names editors get wrong: abbreviations, fixed offsets, old names, typos."""
from __future__ import annotations

import re

from .rules import suggest

# Abbreviations people write for zones, and the city zone most of them mean.
ZONE_ABBREVIATIONS = {
    "GMT": "Europe/London", "BST": "Europe/London", "WET": "Europe/Lisbon",
    "CET": "Europe/Berlin", "CEST": "Europe/Berlin", "EET": "Europe/Athens",
    "EEST": "Europe/Athens", "MSK": "Europe/Moscow", "IST": "Asia/Kolkata",
    "PKT": "Asia/Karachi", "SGT": "Asia/Singapore", "HKT": "Asia/Hong_Kong",
    "JST": "Asia/Tokyo", "KST": "Asia/Seoul", "AEST": "Australia/Sydney",
    "AEDT": "Australia/Sydney", "ACST": "Australia/Adelaide", "AWST": "Australia/Perth",
    "NZST": "Pacific/Auckland", "NZDT": "Pacific/Auckland", "EST": "America/New_York",
    "EDT": "America/New_York", "CST": "America/Chicago", "CDT": "America/Chicago",
    "MST": "America/Denver", "MDT": "America/Denver", "PST": "America/Los_Angeles",
    "PDT": "America/Los_Angeles", "BRT": "America/Sao_Paulo", "ART": "America/Argentina/Buenos_Aires",
}
_OLD_ZONE_PREFIXES = ("Etc/", "US/", "Canada/", "Brazil/", "Mexico/", "Chile/", "SystemV/")


def zone_hint(name) -> str:
    """How to fix a zone name that is not an IANA zone."""
    from zoneinfo import available_timezones

    if isinstance(name, str):
        upper = name.strip().upper()
        if upper in ZONE_ABBREVIATIONS:
            return (f"{upper} is an abbreviation, not a zone; write the city zone, such as "
                    f'"{ZONE_ABBREVIATIONS[upper]}"')
        if re.fullmatch(r"(UTC|GMT)\s*[+-]\s*\d{1,2}(:?\d\d)?", upper):
            return ("a fixed offset ignores summer time; write the city zone the event is "
                    'planned in, such as "Europe/Berlin"')
        zones = sorted(available_timezones())
        lowered = {z.lower(): z for z in zones}
        if name.lower() in lowered:
            return f'did you mean "{lowered[name.lower()]}"?'
        cities = {z.rsplit("/", 1)[-1].lower(): z for z in zones if "/" in z}
        if name.lower().replace(" ", "_") in cities:
            return f'did you mean "{cities[name.lower().replace(" ", "_")]}"?'
        guess = suggest(name, [z for z in zones if "/" in z and not z.startswith(_OLD_ZONE_PREFIXES)])
        if guess:
            return guess
    return ('use an IANA zone name like "Europe/London" or "America/New_York" (see '
            "https://en.wikipedia.org/wiki/List_of_tz_database_time_zones)")


def old_zone_warning(name: str) -> str | None:
    """Why a zone that exists is still probably wrong, or None: fixed offsets and old names."""
    if name == "UTC":
        return None
    if name.startswith("Etc/GMT") and len(name) > 7:
        return (f"{name} is a fixed offset with the sign reversed ({name} is UTC"
                f"{'-' if name[7] == '+' else '+'}{name[8:]}) and no summer time; write the city "
                "zone the event is planned in")
    if "/" not in name or name.startswith(_OLD_ZONE_PREFIXES):
        hint = ZONE_ABBREVIATIONS.get(name[:3])
        return (f"{name} is an old zone name" + (" without summer time" if "/" not in name else "")
                + (f'; write a city zone such as "{hint}"' if hint else "; write a city zone"))
    return None

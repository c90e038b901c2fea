"""Zone names other systems write, as IANA zone names.

- Rails (the original site): ActiveSupport::TimeZone's friendly names, "Eastern Time (US &
  Canada)" or "London". The table is ActiveSupport's MAPPING, with the IANA names that tzdata
  uses today where Rails kept an old one (Europe/Kiev is Europe/Kyiv now).
- Outlook and Exchange: Windows zone names, "W. Europe Standard Time", from CLDR's
  windowsZones table as the icalendar package ships it.
- Mozilla and others prefix an IANA name with their own path: "/mozilla.org/20070129_1/Europe/Berlin".
"""
from __future__ import annotations

import re
from functools import lru_cache

from ..schedule.zones import is_known_zone

RAILS_ZONES = {
    "International Date Line West": "Etc/GMT+12", "Midway Island": "Pacific/Midway",
    "American Samoa": "Pacific/Pago_Pago", "Hawaii": "Pacific/Honolulu",
    "Alaska": "America/Juneau", "Pacific Time (US & Canada)": "America/Los_Angeles",
    "Tijuana": "America/Tijuana", "Mountain Time (US & Canada)": "America/Denver",
    "Arizona": "America/Phoenix", "Chihuahua": "America/Chihuahua", "Mazatlan": "America/Mazatlan",
    "Central Time (US & Canada)": "America/Chicago", "Saskatchewan": "America/Regina",
    "Guadalajara": "America/Mexico_City", "Mexico City": "America/Mexico_City",
    "Monterrey": "America/Monterrey", "Central America": "America/Guatemala",
    "Eastern Time (US & Canada)": "America/New_York", "Indiana (East)": "America/Indiana/Indianapolis",
    "Bogota": "America/Bogota", "Lima": "America/Lima", "Quito": "America/Lima",
    "Atlantic Time (Canada)": "America/Halifax", "Caracas": "America/Caracas",
    "La Paz": "America/La_Paz", "Santiago": "America/Santiago", "Newfoundland": "America/St_Johns",
    "Brasilia": "America/Sao_Paulo", "Buenos Aires": "America/Argentina/Buenos_Aires",
    "Montevideo": "America/Montevideo", "Georgetown": "America/Guyana",
    "Puerto Rico": "America/Puerto_Rico", "Greenland": "America/Nuuk",
    "Mid-Atlantic": "Atlantic/South_Georgia", "Azores": "Atlantic/Azores",
    "Cape Verde Is.": "Atlantic/Cape_Verde", "Dublin": "Europe/Dublin", "Edinburgh": "Europe/London",
    "Lisbon": "Europe/Lisbon", "London": "Europe/London", "Casablanca": "Africa/Casablanca",
    "Monrovia": "Africa/Monrovia", "UTC": "UTC", "Belgrade": "Europe/Belgrade",
    "Bratislava": "Europe/Bratislava", "Budapest": "Europe/Budapest", "Ljubljana": "Europe/Ljubljana",
    "Prague": "Europe/Prague", "Sarajevo": "Europe/Sarajevo", "Skopje": "Europe/Skopje",
    "Warsaw": "Europe/Warsaw", "Zagreb": "Europe/Zagreb", "Brussels": "Europe/Brussels",
    "Copenhagen": "Europe/Copenhagen", "Madrid": "Europe/Madrid", "Paris": "Europe/Paris",
    "Amsterdam": "Europe/Amsterdam", "Berlin": "Europe/Berlin", "Bern": "Europe/Zurich",
    "Zurich": "Europe/Zurich", "Rome": "Europe/Rome", "Stockholm": "Europe/Stockholm",
    "Vienna": "Europe/Vienna", "West Central Africa": "Africa/Algiers",
    "Bucharest": "Europe/Bucharest", "Cairo": "Africa/Cairo", "Helsinki": "Europe/Helsinki",
    "Kyiv": "Europe/Kyiv", "Kyev": "Europe/Kyiv", "Riga": "Europe/Riga", "Sofia": "Europe/Sofia",
    "Tallinn": "Europe/Tallinn", "Vilnius": "Europe/Vilnius", "Athens": "Europe/Athens",
    "Istanbul": "Europe/Istanbul", "Minsk": "Europe/Minsk", "Jerusalem": "Asia/Jerusalem",
    "Harare": "Africa/Harare", "Pretoria": "Africa/Johannesburg",
    "Kaliningrad": "Europe/Kaliningrad", "Moscow": "Europe/Moscow",
    "St. Petersburg": "Europe/Moscow", "Volgograd": "Europe/Volgograd", "Samara": "Europe/Samara",
    "Kuwait": "Asia/Kuwait", "Riyadh": "Asia/Riyadh", "Nairobi": "Africa/Nairobi",
    "Baghdad": "Asia/Baghdad", "Tehran": "Asia/Tehran", "Abu Dhabi": "Asia/Muscat",
    "Muscat": "Asia/Muscat", "Baku": "Asia/Baku", "Tbilisi": "Asia/Tbilisi",
    "Yerevan": "Asia/Yerevan", "Kabul": "Asia/Kabul", "Ekaterinburg": "Asia/Yekaterinburg",
    "Islamabad": "Asia/Karachi", "Karachi": "Asia/Karachi", "Tashkent": "Asia/Tashkent",
    "Chennai": "Asia/Kolkata", "Kolkata": "Asia/Kolkata", "Mumbai": "Asia/Kolkata",
    "New Delhi": "Asia/Kolkata", "Kathmandu": "Asia/Kathmandu", "Astana": "Asia/Almaty",
    "Dhaka": "Asia/Dhaka", "Sri Jayawardenepura": "Asia/Colombo", "Almaty": "Asia/Almaty",
    "Novosibirsk": "Asia/Novosibirsk", "Rangoon": "Asia/Yangon", "Bangkok": "Asia/Bangkok",
    "Hanoi": "Asia/Bangkok", "Jakarta": "Asia/Jakarta", "Krasnoyarsk": "Asia/Krasnoyarsk",
    "Beijing": "Asia/Shanghai", "Chongqing": "Asia/Shanghai", "Hong Kong": "Asia/Hong_Kong",
    "Urumqi": "Asia/Urumqi", "Kuala Lumpur": "Asia/Kuala_Lumpur", "Singapore": "Asia/Singapore",
    "Taipei": "Asia/Taipei", "Perth": "Australia/Perth", "Irkutsk": "Asia/Irkutsk",
    "Ulaanbaatar": "Asia/Ulaanbaatar", "Ulaan Bataar": "Asia/Ulaanbaatar", "Seoul": "Asia/Seoul",
    "Osaka": "Asia/Tokyo", "Sapporo": "Asia/Tokyo", "Tokyo": "Asia/Tokyo",
    "Yakutsk": "Asia/Yakutsk", "Darwin": "Australia/Darwin", "Adelaide": "Australia/Adelaide",
    "Canberra": "Australia/Sydney", "Melbourne": "Australia/Melbourne",
    "Sydney": "Australia/Sydney", "Brisbane": "Australia/Brisbane", "Hobart": "Australia/Hobart",
    "Vladivostok": "Asia/Vladivostok", "Guam": "Pacific/Guam",
    "Port Moresby": "Pacific/Port_Moresby", "Magadan": "Asia/Magadan",
    "Srednekolymsk": "Asia/Srednekolymsk", "Solomon Is.": "Pacific/Guadalcanal",
    "New Caledonia": "Pacific/Noumea", "Fiji": "Pacific/Fiji", "Kamchatka": "Asia/Kamchatka",
    "Marshall Is.": "Pacific/Majuro", "Auckland": "Pacific/Auckland",
    "Wellington": "Pacific/Auckland", "Nuku'alofa": "Pacific/Tongatapu",
    "Tokelau Is.": "Pacific/Fakaofo", "Chatham Is.": "Pacific/Chatham", "Samoa": "Pacific/Apia",
}

# IANA links tzdata keeps for old names, and the names it uses now (Windows' table is old).
_CURRENT_NAMES = {"Europe/Kiev": "Europe/Kyiv", "Asia/Rangoon": "Asia/Yangon",
                  "America/Godthab": "America/Nuuk", "Asia/Calcutta": "Asia/Kolkata",
                  "Asia/Katmandu": "Asia/Kathmandu", "Asia/Saigon": "Asia/Ho_Chi_Minh",
                  "Etc/UTC": "UTC", "Etc/GMT": "UTC", "Asia/Chongqing": "Asia/Shanghai",
                  "Pacific/Truk": "Pacific/Chuuk", "Pacific/Ponape": "Pacific/Pohnpei",
                  "America/Buenos_Aires": "America/Argentina/Buenos_Aires",
                  "Atlantic/Faeroe": "Atlantic/Faroe", "Asia/Ulan_Bator": "Asia/Ulaanbaatar",
                  "Australia/Canberra": "Australia/Sydney", "Australia/ACT": "Australia/Sydney",
                  "Asia/Istanbul": "Europe/Istanbul", "America/Montreal": "America/Toronto"}


# The longest zone name looked at: real ones (Outlook's display names included) are under 100
# characters; a longer TZID is garbage, and matching it piece by piece would take long.
MAX_NAME_LENGTH = 200


def current_name(zone: str) -> str:
    return _CURRENT_NAMES.get(zone, zone)


def windows_zones() -> dict[str, str]:
    from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON

    return WINDOWS_TO_OLSON


def iana_name(name: str | None) -> tuple[str | None, str | None]:
    """(IANA zone, how it was recognised) for a zone name from another system, or (None, None).

    How: "iana", "rails", "windows" or "prefixed"; the caller says so in its report when the
    name was not IANA already.
    """
    if not name or len(name) > MAX_NAME_LENGTH:
        return None, None
    name = name.strip().strip('"')
    if name in ("Z", "GMT", "UTC", "Etc/UTC", "Coordinated Universal Time", "UTC Standard Time"):
        return "UTC", "iana"
    if is_known_zone(name) and "/" in name:
        return current_name(name), "iana"
    if name in RAILS_ZONES:
        return RAILS_ZONES[name], "rails"
    windows = windows_zones()
    if name in windows:
        return current_name(windows[name]), "windows"
    # Outlook's display names: "(UTC-05:00) Eastern Time (US & Canada)", "(UTC+01:00) Amsterdam,
    # Berlin, Bern, Rome, Stockholm, Vienna": the rest is often a Rails name, or names cities.
    display = re.match(r"^\((?:UTC|GMT)(?:\s*[+\-\u2212]\s*\d{1,2}:\d{2})?\)\s*(.+)$", name)
    if display:
        rest = display.group(1).strip()
        found, how = iana_name(rest)
        if found:
            return found, "display"
        for city in re.split(r"\s*,\s*|\s+and\s+", rest):
            zone = _city_zone(city)
            if zone:
                return zone, "display"
    # "/mozilla.org/20070129_1/Europe/Berlin", "/freeassociation.sourceforge.net/Tzfile/Europe/Berlin"
    parts = [p for p in name.split("/") if p]
    for first in range(len(parts) - 1):
        candidate = "/".join(parts[first:])
        if is_known_zone(candidate) and "/" in candidate:
            return current_name(candidate), "prefixed"
    return None, None


@lru_cache(maxsize=1)
def _cities() -> dict[str, str]:
    from zoneinfo import available_timezones

    return {zone.rsplit("/", 1)[-1].replace("_", " ").lower(): current_name(zone)
            for zone in sorted(available_timezones())
            if "/" in zone and not zone.startswith(("Etc/", "SystemV/", "US/"))}


def _city_zone(city: str) -> str | None:
    return _cities().get(city.strip().lower())

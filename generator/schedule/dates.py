"""Dates and times in words, in English, the same on every machine (no locale, no strftime %a)."""
from __future__ import annotations

from datetime import date, datetime

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")


def short_day(day: date) -> str:
    """"Mon 15 Feb"."""
    return f"{WEEKDAYS[day.weekday()][:3]} {day.day} {MONTHS[day.month - 1][:3]}"


def long_day(day: date) -> str:
    """"Monday 15 February 2027"."""
    return f"{WEEKDAYS[day.weekday()]} {day.day} {MONTHS[day.month - 1]} {day.year}"


def day_month_year(day: date) -> str:
    """"30 June 2027"."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def day_heading(day: date) -> str:
    """"Monday 15 February"."""
    return f"{WEEKDAYS[day.weekday()]} {day.day} {MONTHS[day.month - 1]}"


def day_range(first: date, last: date) -> str:
    """"Friday 26 March 2027", "Friday 26 to Sunday 28 March 2027", "Friday 30 July to Sunday
    1 August 2027": what is shared is said once."""
    if first == last:
        return long_day(first)
    end = long_day(last)
    if first.year != last.year:
        return f"{long_day(first)} to {end}"
    if first.month != last.month:
        return f"{day_heading(first)} to {end}"
    return f"{WEEKDAYS[first.weekday()]} {first.day} to {end}"


def short_day_range(first: date, last: date) -> str:
    """"Fri 26 Mar", "Fri 26–Sun 28 Mar"."""
    if first == last:
        return short_day(first)
    if first.month == last.month:
        return f"{WEEKDAYS[first.weekday()][:3]} {first.day}–{short_day(last)}"
    return f"{short_day(first)}–{short_day(last)}"


def clock(moment: datetime) -> str:
    return f"{moment.hour:02d}:{moment.minute:02d}"


def zone_abbreviation(moment: datetime) -> str:
    """"GMT", "BST", "EST"; zones without a letter abbreviation get "UTC+05:45"."""
    name = moment.tzname() or ""
    if name and name[0] not in "+-" and not name[0].isdigit():
        return name
    offset = moment.utcoffset()
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    hours, minutes = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours:02d}:{minutes:02d}"


def iso_utc(moment: datetime) -> str:
    """"2027-02-15T07:00:00Z": the one form instants take in HTML and JSON (`moment` is UTC,
    whole seconds: isoformat is several times faster than strftime, and this runs for every
    occurrence of a large site)."""
    return moment.isoformat()[:19] + "Z"


def duration_words(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    parts = []
    if hours:
        parts.append(f"{hours} hour" + ("s" if hours != 1 else ""))
    if rest:
        parts.append(f"{rest} minute" + ("s" if rest != 1 else ""))
    return " ".join(parts)

"""Public holidays of a region, from the maintained `holidays` package: a pure function of the
region code and the year (the package computes them from its rules; it is data, not I/O).

A region is an ISO 3166-1 country code, optionally with an ISO 3166-2 subdivision: "BR",
"GB-ENG", "DE-BY", "US-CA". Only codes of that shape that the package knows are regions here
(it also knows three-letter aliases and named areas like "Augsburg"; those are left out, so
that one region has one spelling).
"""
from __future__ import annotations

import difflib
import re
from datetime import date
from functools import lru_cache

import holidays as holiday_data

HOLIDAYS_VERSION = holiday_data.__version__  # an input of every cached expansion (cache.py)
_REGION_SHAPE = re.compile(r"[A-Z]{2}(?:-[A-Z0-9]{1,3})?")


@lru_cache(maxsize=1)
def known_regions() -> tuple[str, ...]:
    """Every region code, sorted: "AD", ..., "GB", "GB-ENG", ..."""
    found = []
    for country, subdivisions in holiday_data.list_supported_countries().items():
        if not re.fullmatch(r"[A-Z]{2}", country):
            continue
        found.append(country)
        found += [f"{country}-{s}" for s in subdivisions
                  if _REGION_SHAPE.fullmatch(f"{country}-{s}")]
    return tuple(sorted(set(found)))


def is_known_region(code: str) -> bool:
    return code in _region_set()


@lru_cache(maxsize=1)
def _region_set() -> frozenset[str]:
    return frozenset(known_regions())


def close_regions(code: str, limit: int = 3) -> list[str]:
    """Known codes that look like `code`: the same letters in capitals first ("gb-eng"), then
    near spellings ("GB-EN" -> "GB-ENG"), then the country's own subdivisions."""
    wanted = code.strip().upper().replace("_", "-")
    if is_known_region(wanted):
        return [wanted]
    matches = difflib.get_close_matches(wanted, known_regions(), n=limit, cutoff=0.6)
    country = wanted[:2]
    if any(m.startswith(country) for m in matches):  # "GB-EN": England, not Bolivia's "BO-N"
        matches = [m for m in matches if m.startswith(country)][:1]
    if not matches and is_known_region(country):
        matches = [r for r in known_regions() if r.startswith(country)][:limit]
    return matches


@lru_cache(maxsize=1024)
def holidays_in_year(region: str, year: int) -> tuple[tuple[date, str], ...]:
    """The region's public holidays in one year, (day, name) in day order; observed days
    ("Christmas Day (observed)") included, since offices close then. Names in English where
    the package has them (the site's words are English), else in the country's language."""
    country, _, subdivision = region.partition("-")
    probe = holiday_data.country_holidays(country, subdiv=subdivision or None, years=year)
    language = probe.default_language
    if language and not language.startswith("en") and "en_US" in probe.supported_languages:
        language = "en_US"
    found = holiday_data.country_holidays(country, subdiv=subdivision or None, years=year,
                                          language=language)
    return tuple(sorted((day, name) for day, name in found.items() if day.year == year))


def holidays_between(region: str, first: date, last: date) -> dict[date, str]:
    """The region's holidays from `first` to `last`, both included: day -> name."""
    found: dict[date, str] = {}
    for year in range(first.year, last.year + 1):
        found.update((day, name) for day, name in holidays_in_year(region, year)
                     if first <= day <= last)
    return found

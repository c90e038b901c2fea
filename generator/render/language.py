"""The site's language: its message catalogue (locale/<tag>/LC_MESSAGES/messages.po) and CLDR's
formats for dates, times, lists, numbers and plurals (Babel), as one value passed down to every
renderer. Nothing here knows English words: they are the catalogue's message ids.

`language = "en"` (the default) is Nextup's own English: the message ids as written, and day
month year dates with a 24-hour clock (CLDR en-GB's names, without its comma after the weekday),
so sites that set no language read exactly as they always did. Any other tag, "en-US" included,
takes every format from CLDR for that tag, and its text from the catalogue of the tag or of its
language ("pt-BR", then "pt"; "ar-EG", then "ar").
"""
from __future__ import annotations

import gettext
import io
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path

from babel import Locale
from babel.dates import format_datetime, get_day_names, get_month_names
from babel.lists import format_list
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.units import format_unit

from ..content.languages import (LOCALE_DIR, SOURCE_LANGUAGE, UnknownLanguage, catalogue_path,
                                 language_problem)


# The patterns of "en", Nextup's own English (see the module's docstring); other languages get
# CLDR's pattern for the same skeleton, widened as ICU does (see _pattern).
HOUSE_ENGLISH = {"yMMMMEEEEd": "EEEE d MMMM y", "MMMMEEEEd": "EEEE d MMMM", "MMMEd": "EEE d MMM",
                 "yMMMMd": "d MMMM y", "EEEEd": "EEEE d", "Ed": "EEE d", "Hm": "HH:mm",
                 "yMMMM": "MMMM y", "MMMMd": "d MMMM", "MMMd": "d MMM"}


# What `Language.formatted` is asked to print: years, months, days, weekdays, hours, minutes,
# seconds and the day period. A zone (z, v, O, X...) would make its memo, keyed by the wall
# clock alone, wrong.
SKELETON_LETTERS = frozenset("yMdEHhms")


# Where each CLDR numbering system's digits start in Unicode (Babel formats numbers with the
# locale's symbols but always with ASCII digits): "ar-EG" writes ١٥ where "ar" writes 15.
DIGIT_ZERO = {"latn": 0x30, "arab": 0x660, "arabext": 0x6F0, "deva": 0x966, "beng": 0x9E6,
              "mymr": 0x1040, "thai": 0xE50, "tibt": 0xF20, "khmr": 0x17E0, "laoo": 0xED0}


@lru_cache(maxsize=8)
def language_for(tag: str = SOURCE_LANGUAGE, locale_dir: Path = LOCALE_DIR) -> "Language":
    problem = language_problem(tag, locale_dir)
    if problem:
        raise UnknownLanguage(problem)
    path = catalogue_path(tag, locale_dir)
    translations: gettext.NullTranslations = gettext.NullTranslations()
    if path is not None:
        with path.open("rb") as po:
            catalog = read_po(po, locale=path.parent.parent.name)
        buffer = io.BytesIO()
        write_mo(buffer, catalog)  # fuzzy and untranslated entries are left out, as msgfmt does
        buffer.seek(0)
        translations = gettext.GNUTranslations(buffer)
    return Language(tag, translations, locale_dir)


class Language:
    """Messages and formats in one language. Pickled by its tag (a worker loads its own)."""

    def __init__(self, tag: str, translations: gettext.NullTranslations, locale_dir: Path):
        self.tag = tag
        self.locale = Locale.parse(tag, sep="-")
        self.translations = translations
        self.locale_dir = locale_dir
        self.house_english = tag == SOURCE_LANGUAGE
        self.direction = self.locale.text_direction  # "ltr" or "rtl"
        zero = DIGIT_ZERO.get(self.locale.default_numbering_system, ord("0"))
        self._digits = str.maketrans("0123456789", "".join(chr(zero + d) for d in range(10)))
        self._patterns: dict[str, str] = {}
        # Formatted dates and times, by skeleton and wall-clock value: a 10,000-event build asks
        # for the same few hundred days and clock times about 400,000 times, and Babel's
        # formatting of one costs some 25 µs.
        self._formatted: dict[tuple, str] = {}

    def __reduce__(self):
        return language_for, (self.tag, self.locale_dir)

    # --- messages -------------------------------------------------------------------------
    def gettext(self, message: str, **values) -> str:
        """The message in this language, its %(name)s placeholders filled in (unlike gettext's
        own: named like it so that `pybabel extract` finds every message with its defaults)."""
        found = self.translations.gettext(message)
        return found % values if values else found

    def ngettext(self, singular: str, plural: str, count: int, **values) -> str:
        """The plural form CLDR's rules pick for `count`; %(count)s is the count in local digits."""
        return self.translations.ngettext(singular, plural, count) % {
            "count": self.number(count), **values}

    def pgettext(self, context: str, message: str, **values) -> str:
        """A message whose translation depends on where it stands ("May" the month, say)."""
        found = self.translations.pgettext(context, message)
        return found % values if values else found

    # --- numbers and lists ----------------------------------------------------------------
    def number(self, value: int) -> str:
        return str(value).translate(self._digits)

    def join(self, items: list[str]) -> str:
        """"a, b and c" as the language writes it."""
        if self.house_english:
            return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
        return format_list(list(items), locale=self.locale) if items else ""

    def duration(self, minutes: int) -> str:
        """"1 hour 30 minutes" with CLDR's units and plural forms."""
        hours, rest = divmod(minutes, 60)
        parts = []
        if hours:
            parts.append(format_unit(hours, "duration-hour", "long", locale=self.locale))
        if rest:
            parts.append(format_unit(rest, "duration-minute", "long", locale=self.locale))
        parts = [p.translate(self._digits) for p in parts]
        if len(parts) < 2:
            return "".join(parts)
        if self.house_english:
            return " ".join(parts)
        return self.join(parts)  # Babel's "unit" lists lack inherited patterns in some locales

    # --- dates and times ------------------------------------------------------------------
    def weekday_name(self, weekday: int, width: str = "wide") -> str:
        """0 = Monday; standalone (as in a calendar's column heading)."""
        return get_day_names(width, "stand-alone", self.locale)[weekday]

    def month_name(self, month: int, width: str = "wide") -> str:
        return get_month_names(width, "stand-alone", self.locale)[month]

    @property
    def first_week_day(self) -> int:
        """0 = Monday, 6 = Sunday, as CLDR has it for the language's region."""
        return self.locale.first_week_day

    def formatted(self, skeleton: str, moment: date | datetime) -> str:
        """`moment` in CLDR's pattern for `skeleton` (yMMMMEEEEd, MMMEd, Hm, ...)."""
        if isinstance(moment, datetime):
            # No skeleton here has a zone field (SKELETON_LETTERS): the wall clock is all
            # that is printed, so it is all the memo's key needs.
            key = (skeleton, moment.year, moment.month, moment.day, moment.hour, moment.minute,
                   moment.second)
        else:
            key = (skeleton, moment.year, moment.month, moment.day)
        found = self._formatted.get(key)
        if found is None:
            if set(skeleton) - SKELETON_LETTERS:
                raise ValueError(f"skeleton {skeleton!r} prints more than a wall clock")
            found = self._formatted[key] = format_datetime(
                datetime(*key[1:]), self._pattern(skeleton), locale=self.locale
            ).translate(self._digits)
        return found

    def long_day(self, day: date) -> str:
        """"Monday 15 February 2027"."""
        return self.formatted("yMMMMEEEEd", day)

    def day_heading(self, day: date) -> str:
        """"Monday 15 February"."""
        return self.formatted("MMMMEEEEd", day)

    def short_day(self, day: date) -> str:
        """"Mon 15 Feb"."""
        return self.formatted("MMMEd", day)

    def day_month_year(self, day: date) -> str:
        """"30 June 2027"."""
        return self.formatted("yMMMMd", day)

    def month_year(self, day: date) -> str:
        """"February 2027"."""
        return self.formatted("yMMMM", day)

    def clock(self, moment: datetime) -> str:
        """"07:00", or "7:00 AM" where CLDR's clock for the language has 12 hours."""
        return self.formatted("Hm" if self.hour_24 else "hm", moment)

    def day_range(self, first: date, last: date) -> str:
        """"Friday 26 to Sunday 28 March 2027": what the two days share is said once."""
        if first == last:
            return self.long_day(first)
        if first.year != last.year:
            start = self.long_day(first)
        elif first.month != last.month or not self.house_english:
            # Only Nextup's English drops the shared month ("Friday 26 to Sunday 28 March"):
            # CLDR's day-and-weekday pattern without a month reads oddly in many languages.
            start = self.day_heading(first)
        else:
            start = self.formatted("EEEEd", first)
        return self.gettext("%(first)s to %(last)s", first=start, last=self.long_day(last))

    def short_day_range(self, first: date, last: date) -> str:
        """"Fri 26–Sun 28 Mar"."""
        if first == last:
            return self.short_day(first)
        same_month = first.month == last.month and self.house_english
        start = self.formatted("Ed", first) if same_month else self.short_day(first)
        return f"{start}–{self.short_day(last)}"

    @property
    def hour_24(self) -> bool:
        """Whether CLDR's clock for the language runs to 23 (else 1 to 12 with AM/PM)."""
        return self.house_english or "H" in self.locale.time_formats["short"].pattern

    def _pattern(self, skeleton: str) -> str:
        if skeleton not in self._patterns:
            self._patterns[skeleton] = (HOUSE_ENGLISH[skeleton] if self.house_english
                                        else _cldr_pattern(self.locale, skeleton))
        return self._patterns[skeleton]


def _cldr_pattern(locale: Locale, skeleton: str) -> str:
    """CLDR's pattern for `skeleton`, with its fields widened to the widths the skeleton asks
    for (as ICU's DateTimePatternGenerator does: Babel picks "EEE, d MMM" for "EEEEd MMMM")."""
    from babel.dates import match_skeleton

    if skeleton == "yMMMMEEEEd":
        return locale.date_formats["full"].pattern
    if skeleton == "yMMMMd":
        return locale.date_formats["long"].pattern
    best = match_skeleton(skeleton, locale.datetime_skeletons) or skeleton
    pattern = locale.datetime_skeletons[best].pattern if best in locale.datetime_skeletons else best
    for letter in "EM":
        wanted = skeleton.count(letter)
        if wanted >= 3:
            pattern = _widen(pattern, letter, wanted)
    return pattern


# CLDR's stand-alone form of each field _widen handles: "LLLL" is the month as "MMMM" is.
STANDALONE_LETTER = {"M": "L", "E": "c"}


def _widen(pattern: str, letter: str, width: int) -> str:
    """Each run of `letter` that is a text field (3 or more letters), outside quotes, at `width`."""
    out, index, quoted = [], 0, False
    while index < len(pattern):
        char = pattern[index]
        if char == "'":
            quoted = not quoted
            out.append(char)
            index += 1
            continue
        if not quoted and char in (letter, STANDALONE_LETTER[letter]):
            end = index
            while end < len(pattern) and pattern[end] == char:
                end += 1
            run = end - index
            # E, EE and EEE are all the short weekday; M and MM are numbers, left as they are.
            text_field = run >= 3 or char in "Ec"
            out.append(char * width if text_field else pattern[index:end])
            index = end
            continue
        out.append(char)
        index += 1
    return "".join(out)

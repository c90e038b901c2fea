"""A schedule in words: "Every Monday to Thursday at 07:00 (Europe/London)".

Computed here, not in templates, so that pages, feeds and tests say the same thing. Every
phrase is a message of the site's language (see render/language.py); a weekday with an ordinal
("first Monday") or with "every" is one whole message, since its gender decides the words
(pt "primeira segunda-feira" but "primeiro sábado").
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

from ..model import Event, Rule
from .language import Language, language_for


def schedule_in_words(event: Event, language: Language | None = None) -> str:
    language = language or language_for("en")
    if event.all_day:
        return _all_day_words(event, language)
    if event.days > 1:  # one event at the same time each day (its rule is DAILY, COUNT=days)
        last = event.start.date() + timedelta(days=event.days - 1)
        return language.gettext("%(days)s, each day at %(time)s (%(zone)s)",
                                days=language.day_range(event.start.date(), last),
                                time=language.clock(event.start), zone=event.timezone)
    times = event.rule.times if event.rule is not None and event.rule.times else (event.start,)
    at = language.join([_clock(t, language) for t in times])
    if event.rule is None and event.rdates:
        count = len({event.start} | {r.value for r in event.rdates})
        return language.ngettext("On %(count)s dates from %(day)s, first at %(times)s (%(zone)s)",
                                 "On %(count)s dates from %(day)s, first at %(times)s (%(zone)s)",
                                 count, day=language.long_day(event.start.date()), times=at,
                                 zone=event.timezone)
    if event.rule is None:
        return language.gettext("Once, on %(day)s at %(times)s (%(zone)s)",
                                day=language.long_day(event.start.date()), times=at,
                                zone=event.timezone)
    # TRANSLATORS: %(pattern)s is a repeat such as "Every Monday" or "First Monday of each month";
    # endings such as ", until Monday 15 February 2027" may follow.
    words = language.gettext("%(pattern)s at %(times)s (%(zone)s)",
                             pattern=describe_rule(event.rule, language), times=at,
                             zone=event.timezone)
    words += _ending(event.rule, language) + _also(event, language)
    if event.skip_holidays:
        # TRANSLATORS: %(calendar)s is the name of a public-holiday calendar, such as "GB-ENG".
        words += language.gettext(", except public holidays (%(calendar)s)",
                                  calendar=event.skip_holidays)
    return words


def _clock(moment: datetime | time, language: Language) -> str:
    """A rule's times of day are times; language.clock takes datetimes."""
    if isinstance(moment, time):
        moment = datetime.combine(date(2000, 1, 1), moment)
    return language.clock(moment)


def _also(event: Event, language: Language) -> str:
    extra = len(event.rdates)
    if not extra:
        return ""
    return language.ngettext(", and on %(count)s other date", ", and on %(count)s other dates",
                             extra)


def _all_day_words(event: Event, language: Language) -> str:
    """"Friday 26 to Sunday 28 March 2027, all day"; "Every year on 10 July, all day for 3 days"."""
    if event.days == 1:
        span = language.gettext("all day")
    else:
        span = language.ngettext("all day for %(count)s day", "all day for %(count)s days",
                                 event.days)
    first = event.start.date()
    if event.rule is None and event.rdates:
        count = len({event.start} | {r.value for r in event.rdates})
        # TRANSLATORS: %(span)s is "all day" or "all day for 3 days".
        return language.ngettext("On %(count)s dates from %(day)s, %(span)s",
                                 "On %(count)s dates from %(day)s, %(span)s", count,
                                 day=language.long_day(first), span=span)
    if event.rule is None:
        return language.gettext("%(days)s, all day", days=language.day_range(
            first, first + timedelta(days=event.days - 1)))
    # TRANSLATORS: %(pattern)s is a repeat such as "Every year on 10 July"; %(span)s is "all day"
    # or "all day for 3 days".
    words = language.gettext("%(pattern)s, %(span)s", pattern=describe_rule(event.rule, language),
                             span=span)
    return words + _ending(event.rule, language) + _also(event, language)


def describe_rule(rule: Rule, language: Language | None = None) -> str:
    words = _pattern(rule, language or language_for("en"))
    return words[0].upper() + words[1:]


def _weekday_list(days: list[int], language: Language) -> str:
    days = sorted(days)
    if len(days) >= 3 and days == list(range(days[0], days[-1] + 1)):
        # TRANSLATORS: a run of weekdays, "Monday to Thursday".
        return language.pgettext("weekdays", "%(first)s to %(last)s",
                                 first=language.weekday_name(days[0]),
                                 last=language.weekday_name(days[-1]))
    return language.join([language.weekday_name(d) for d in days])


def _nth(number: int, language: Language) -> str:
    """A day of the month: "15th", "last day"."""
    if number < 0:
        if number == -1:
            return language.gettext("last day")
        if number == -2:
            return language.gettext("second-to-last day")
        if number == -3:
            return language.gettext("third-to-last day")
        return language.gettext("%(number)s day", number=language.number(number))
    value = language.number(number)
    # TRANSLATORS: a day of the month ("1st", "21st", "2nd", "15th"), as it reads in
    # "15th of each month" and "every year on 15 July": one translation fits all four suffixes.
    if 10 <= number % 100 <= 20 or number % 10 not in (1, 2, 3):
        return language.gettext("%(number)sth", number=value)
    if number % 10 == 1:
        return language.gettext("%(number)sst", number=value)
    if number % 10 == 2:
        return language.gettext("%(number)snd", number=value)
    return language.gettext("%(number)srd", number=value)


def _position(number: int, language: Language) -> str:
    """Which one of a set ("first weekday of each month")."""
    # TRANSLATORS: which one of a set of days, as in "last weekday of each month".
    names = {1: language.pgettext("position", "first"), 2: language.pgettext("position", "second"),
             3: language.pgettext("position", "third"), 4: language.pgettext("position", "fourth"),
             5: language.pgettext("position", "fifth"), -1: language.pgettext("position", "last"),
             -2: language.pgettext("position", "second-to-last"),
             -3: language.pgettext("position", "third-to-last")}
    return names[number] if number in names else _nth(number, language)


def _of_months(days: str, interval: int, language: Language) -> str:
    if interval == 1:
        # TRANSLATORS: %(days)s is "first Monday", "15th" or "last day" (and lists of them).
        return language.gettext("%(days)s of each month", days=days)
    if interval == 2:
        return language.gettext("%(days)s of every other month", days=days)
    return language.ngettext("%(days)s of every %(count)s month", "%(days)s of every %(count)s months",
                             interval, days=days)


def _pattern(rule: Rule, language: Language) -> str:
    plain_days = [d for n, d in rule.byday if n is None]
    ordinal_days = [(n, d) for n, d in rule.byday if n is not None]
    simple = not (rule.bysetpos or rule.byyearday)
    if rule.freq in ("DAILY", "WEEKLY") and simple and not rule.bymonthday and not rule.bymonth:
        if rule.freq == "DAILY" and not plain_days:
            if rule.interval == 1:
                return language.gettext("every day")
            if rule.interval == 2:
                return language.gettext("every other day")
            return language.ngettext("every %(count)s day", "every %(count)s days", rule.interval)
        if rule.freq == "DAILY" and rule.interval != 1:
            # TRANSLATORS: %(days)s is a list of weekdays ("Monday and Friday").
            return language.ngettext("every %(count)s day, on %(days)ss",
                                     "every %(count)s days, on %(days)ss", rule.interval,
                                     days=_weekday_list(plain_days, language))
        if len(plain_days) == 1 and rule.interval in (1, 2):
            day = plain_days[0]
            if rule.interval == 1:
                return _every_weekday(language, day)
            return _every_other_weekday(language, day)
        days = _weekday_list(plain_days, language)
        if rule.interval == 1:
            # TRANSLATORS: %(days)s is a list of weekdays ("Monday to Thursday", "Monday and Friday").
            return language.gettext("every %(days)s", days=days)
        if rule.interval == 2:
            return language.gettext("every other %(days)s", days=days)
        return language.ngettext("every %(count)s week on %(days)s",
                                 "every %(count)s weeks on %(days)s", rule.interval, days=days)
    if rule.freq == "MONTHLY" and not rule.bymonth and not rule.byyearday:
        if ordinal_days and not plain_days and not rule.bymonthday and not rule.bysetpos:
            return _of_months(_ordinal_weekdays(ordinal_days, language), rule.interval, language)
        if rule.bymonthday and not rule.byday and not rule.bysetpos:
            return _of_months(language.join([_nth(n, language) for n in rule.bymonthday]),
                              rule.interval, language)
        if plain_days and not ordinal_days and rule.bysetpos and not rule.bymonthday:
            which = language.join([_position(p, language) for p in rule.bysetpos])
            if sorted(plain_days) == [0, 1, 2, 3, 4]:
                # TRANSLATORS: %(which)s is "first", "last" (or a list of them): one of the
                # days Monday to Friday.
                kind = language.gettext("%(which)s weekday", which=which)
            else:
                # TRANSLATORS: %(which)s is "first", "last"; %(days)s a list of weekdays.
                kind = language.gettext("%(which)s %(days)s", which=which,
                                        days=_weekday_list(plain_days, language))
            return _of_months(kind, rule.interval, language)
    if rule.freq == "YEARLY" and rule.bymonth and simple and rule.interval == 1:
        months = language.join([language.month_name(m) for m in rule.bymonth])
        if rule.bymonthday and not rule.byday:
            # TRANSLATORS: "every year on 10 July"; %(days)s is one or more day numbers.
            return language.gettext("every year on %(days)s %(months)s", months=months,
                                    days=language.join([language.number(d)
                                                        for d in rule.bymonthday]))
        if ordinal_days and not plain_days and not rule.bymonthday:
            # TRANSLATORS: "first Monday of June each year".
            return language.gettext("%(days)s of %(months)s each year", months=months,
                                    days=_ordinal_weekdays(ordinal_days, language))
    from ..content.rules import format_rrule

    # TRANSLATORS: %(rule)s is an iCalendar rule, such as "FREQ=MONTHLY;BYYEARDAY=100".
    return language.gettext("repeats by the rule %(rule)s", rule=format_rrule(rule, None))


def _ordinal_weekdays(pairs: list[tuple[int, int]], language: Language) -> str:
    weekdays = {d for _, d in pairs}
    if language.house_english and len(weekdays) == 1:
        # Nextup's English says the weekday once: "first and third Monday".
        ordinals = language.join([_ordinal_weekday(language, n, 0).rsplit(" ", 1)[0]
                                  if n in ORDINAL_NUMBERS else _nth(n, language)
                                  for n, _ in sorted(pairs, key=_order)])
        return f"{ordinals} {language.weekday_name(pairs[0][1])}"
    ordered = sorted(pairs, key=_order) if len(weekdays) == 1 else pairs
    return language.join([_ordinal_weekday(language, n, d) for n, d in ordered])


def _order(pair: tuple[int, int]) -> int:
    return pair[0] if pair[0] > 0 else 100 + pair[0]


def _ending(rule: Rule, language: Language) -> str:
    if rule.count is not None:
        if rule.count == 1:
            return language.gettext(", once")
        return language.ngettext(", %(count)s time", ", %(count)s times", rule.count)
    if rule.until is not None:
        return language.gettext(", until %(day)s", day=language.long_day(rule.until.date()))
    return ""


ORDINAL_NUMBERS = (1, 2, 3, 4, 5, -1, -2, -3)  # those _ordinal_weekday has phrases for


def N_(message: str) -> str:
    """Marks a message of a table for `make translations`; it is translated where it is used."""
    return message


# Whole phrases, because gender and number differ by weekday (pt: toda segunda-feira, todo sábado).
EVERY_WEEKDAY = (N_("every Monday"),
    N_("every Tuesday"),
    N_("every Wednesday"),
    N_("every Thursday"),
    N_("every Friday"),
    N_("every Saturday"),
    N_("every Sunday"))

EVERY_OTHER_WEEKDAY = (N_("every other Monday"),
    N_("every other Tuesday"),
    N_("every other Wednesday"),
    N_("every other Thursday"),
    N_("every other Friday"),
    N_("every other Saturday"),
    N_("every other Sunday"))

# TRANSLATORS: an ordinal and a weekday as they read in "first Monday of each month".
ORDINAL_WEEKDAY = {
    1: (N_("first Monday"),
         N_("first Tuesday"),
         N_("first Wednesday"),
         N_("first Thursday"),
         N_("first Friday"),
         N_("first Saturday"),
         N_("first Sunday")),
    2: (N_("second Monday"),
         N_("second Tuesday"),
         N_("second Wednesday"),
         N_("second Thursday"),
         N_("second Friday"),
         N_("second Saturday"),
         N_("second Sunday")),
    3: (N_("third Monday"),
         N_("third Tuesday"),
         N_("third Wednesday"),
         N_("third Thursday"),
         N_("third Friday"),
         N_("third Saturday"),
         N_("third Sunday")),
    4: (N_("fourth Monday"),
         N_("fourth Tuesday"),
         N_("fourth Wednesday"),
         N_("fourth Thursday"),
         N_("fourth Friday"),
         N_("fourth Saturday"),
         N_("fourth Sunday")),
    5: (N_("fifth Monday"),
         N_("fifth Tuesday"),
         N_("fifth Wednesday"),
         N_("fifth Thursday"),
         N_("fifth Friday"),
         N_("fifth Saturday"),
         N_("fifth Sunday")),
    -1: (N_("last Monday"),
         N_("last Tuesday"),
         N_("last Wednesday"),
         N_("last Thursday"),
         N_("last Friday"),
         N_("last Saturday"),
         N_("last Sunday")),
    -2: (N_("second-to-last Monday"),
         N_("second-to-last Tuesday"),
         N_("second-to-last Wednesday"),
         N_("second-to-last Thursday"),
         N_("second-to-last Friday"),
         N_("second-to-last Saturday"),
         N_("second-to-last Sunday")),
    -3: (N_("third-to-last Monday"),
         N_("third-to-last Tuesday"),
         N_("third-to-last Wednesday"),
         N_("third-to-last Thursday"),
         N_("third-to-last Friday"),
         N_("third-to-last Saturday"),
         N_("third-to-last Sunday")),
}


def _every_weekday(language: Language, day: int) -> str:
    """"every Monday" as one phrase."""
    return language.gettext(EVERY_WEEKDAY[day])


def _every_other_weekday(language: Language, day: int) -> str:
    return language.gettext(EVERY_OTHER_WEEKDAY[day])


def _ordinal_weekday(language: Language, number: int, day: int) -> str:
    """"first Monday" as one phrase, as it reads in "first Monday of each month"."""
    if number in ORDINAL_WEEKDAY:
        return language.gettext(ORDINAL_WEEKDAY[number][day])
    # TRANSLATORS: an ordinal such as "6th" and a weekday, as in "6th Monday of each month".
    return language.gettext("%(ordinal)s %(weekday)s", ordinal=_nth(number, language),
                            weekday=language.weekday_name(day))

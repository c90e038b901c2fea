"""A schedule in words: "Every Monday to Thursday at 07:00 (Europe/London)".

Computed here, not in templates, so that pages, feeds and tests say the same thing.
"""
from __future__ import annotations

from ..model import Event, Rule
from datetime import timedelta

from ..schedule.dates import MONTHS, WEEKDAYS, clock, day_range, long_day

ORDINALS = {1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth", -1: "last",
            -2: "second-to-last", -3: "third-to-last"}


def schedule_in_words(event: Event) -> str:
    if event.all_day:
        return _all_day_words(event)
    if event.days > 1:  # one event at the same time each day (its rule is DAILY, COUNT=days)
        last = event.start.date() + timedelta(days=event.days - 1)
        return (f"{day_range(event.start.date(), last)}, each day at {clock(event.start)} "
                f"({event.timezone})")
    times = event.rule.times if event.rule is not None and event.rule.times else (event.start,)
    at = f"at {_join([clock(t) for t in times])} ({event.timezone})"
    if event.rule is None and event.rdates:
        count = len({event.start} | {r.value for r in event.rdates})
        return f"On {count} dates from {long_day(event.start.date())}, first {at}"
    if event.rule is None:
        return f"Once, on {long_day(event.start.date())} {at}"
    pattern = describe_rule(event.rule)
    ending = _ending(event.rule)
    extra = len(event.rdates)
    also = f", and on {extra} other date{'s' if extra != 1 else ''}" if extra else ""
    holidays = f", except public holidays ({event.skip_holidays})" if event.skip_holidays else ""
    return f"{pattern} {at}{ending}{also}{holidays}"


def _all_day_words(event: Event) -> str:
    """"Friday 26 to Sunday 28 March 2027, all day"; "Every year on 10 July, all day for 3 days"."""
    span = "all day" if event.days == 1 else f"all day for {event.days} days"
    first = event.start.date()
    if event.rule is None and event.rdates:
        count = len({event.start} | {r.value for r in event.rdates})
        return f"On {count} dates from {long_day(first)}, {span}"
    if event.rule is None:
        return f"{day_range(first, first + timedelta(days=event.days - 1))}, all day"
    extra = len(event.rdates)
    also = f", and on {extra} other date{'s' if extra != 1 else ''}" if extra else ""
    return f"{describe_rule(event.rule)}, {span}{_ending(event.rule)}{also}"


def describe_rule(rule: Rule) -> str:
    words = _pattern(rule)
    return words[0].upper() + words[1:]


def _join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _weekday_list(days: list[int]) -> str:
    days = sorted(days)
    if len(days) >= 3 and days == list(range(days[0], days[-1] + 1)):
        return f"{WEEKDAYS[days[0]]} to {WEEKDAYS[days[-1]]}"
    return _join([WEEKDAYS[d] for d in days])


def _nth(number: int) -> str:
    if number < 0:
        return "last day" if number == -1 else f"{ORDINALS.get(number, str(number))} day"
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def _every(unit: str, interval: int) -> str:
    if interval == 1:
        return f"each {unit}"
    if interval == 2:
        return f"every other {unit}"
    return f"every {interval} {unit}s"


def _pattern(rule: Rule) -> str:
    plain_days = [d for n, d in rule.byday if n is None]
    ordinal_days = [(n, d) for n, d in rule.byday if n is not None]
    simple = not (rule.bysetpos or rule.byyearday)
    if rule.freq in ("DAILY", "WEEKLY") and simple and not rule.bymonthday and not rule.bymonth:
        if rule.freq == "DAILY" and not plain_days:
            return {1: "every day", 2: "every other day"}.get(rule.interval,
                                                               f"every {rule.interval} days")
        if rule.freq == "DAILY" and rule.interval != 1:
            return f"every {rule.interval} days, on {_weekday_list(plain_days)}s"
        days = _weekday_list(plain_days)
        if rule.interval == 1:
            return f"every {days}"
        if rule.interval == 2:
            return f"every other {days}"
        return f"every {rule.interval} weeks on {days}"
    if rule.freq == "MONTHLY" and not rule.bymonth and not rule.byyearday:
        period = _every("month", rule.interval)
        if ordinal_days and not plain_days and not rule.bymonthday and not rule.bysetpos:
            return f"{_ordinal_weekdays(ordinal_days)} of {period}"
        if rule.bymonthday and not rule.byday and not rule.bysetpos:
            return f"{_join([_nth(n) for n in rule.bymonthday])} of {period}"
        if plain_days and not ordinal_days and rule.bysetpos and not rule.bymonthday:
            which = _join([ORDINALS.get(p, _nth(p)) for p in rule.bysetpos])
            kind = "weekday" if sorted(plain_days) == [0, 1, 2, 3, 4] else _weekday_list(plain_days)
            return f"{which} {kind} of {period}"
    if rule.freq == "YEARLY" and rule.bymonth and simple and rule.interval == 1:
        months = _join([MONTHS[m - 1] for m in rule.bymonth])
        if rule.bymonthday and not rule.byday:
            return f"every year on {_join([str(d) for d in rule.bymonthday])} {months}"
        if ordinal_days and not plain_days and not rule.bymonthday:
            return f"{_ordinal_weekdays(ordinal_days)} of {months} each year"
    from ..content.rules import format_rrule

    return "repeats by the rule " + format_rrule(rule, None)


def _ordinal_weekdays(pairs: list[tuple[int, int]]) -> str:
    weekdays = {d for _, d in pairs}
    if len(weekdays) == 1:
        ordinals = _join([ORDINALS.get(n, _nth(n)) for n, _ in sorted(pairs, key=_order)])
        return f"{ordinals} {WEEKDAYS[pairs[0][1]]}"
    return _join([f"{ORDINALS.get(n, _nth(n))} {WEEKDAYS[d]}" for n, d in pairs])


def _order(pair: tuple[int, int]) -> int:
    return pair[0] if pair[0] > 0 else 100 + pair[0]


def _ending(rule: Rule) -> str:
    if rule.count is not None:
        return f", {rule.count} times" if rule.count != 1 else ", once"
    if rule.until is not None:
        return f", until {long_day(rule.until.date())}"
    return ""

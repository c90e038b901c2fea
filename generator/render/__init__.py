"""Events and occurrences -> the bytes of every output file. Nothing here reads a file or the
clock: the build hands in what it read and the instant it runs for.

- event_page.py: one event's page and VEVENT (per event, in parallel on a large site);
- session_pages.py, sessions.py: its session records' pages (per event) and /sessions/;
- site.py: the homepage, lists, feeds and calendars, in one pass over all occurrences;
- lines.py: the line format occurrences travel in between those two;
- context.py, views.py, pages.py: what pages share; words.py: schedules in words;
- feed.py, ics.py, vtimezone.py, discovery.py, markup.py: formats.

Output holds no build time, so the same input always gives the same bytes, and a refresh
changes only files whose content really moved.
"""
from .context import RenderOptions

__all__ = ["RenderOptions"]

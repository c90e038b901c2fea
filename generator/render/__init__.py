"""Phase 4: events + occurrences -> every output file as bytes.

- event_page.py: one event's page and VEVENT (run per event, in parallel on a large site);
- site.py: the homepage, lists, feeds and calendars, in one pass over all occurrences;
- context.py, views.py, dates: what pages share; feed.py, ics.py, discovery.py: formats.

Nothing here reads the clock or decides what is upcoming: `expand` did that. Output holds no
build time, so the same input always gives the same bytes, and a refresh changes only files
whose content really moved.
"""
from .context import RenderOptions

__all__ = ["RenderOptions"]

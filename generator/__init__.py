"""Nextup: a static site generator for communities that meet on a recurring schedule.

One pipeline, used by every command (build/pipeline.py; `check` is a build that renders and
writes nothing):

    find       content/ -> site.toml, the event files, content/public/
    per event  load -> validate -> expand -> render page + VEVENT   (parallel, cached)
    site-wide  every event's occurrence lines, merged in start order -> lists, feeds, calendars
    commit     staging directory -> output, all or nothing

The folders are layers, each importing only the ones below it (tests/test_architecture.py):

    schedule/   recurrence, expansion, zones, dates      pure: no I/O, no clock; `now` is a parameter
    content/    load, positions, rules, validate, lint   what editors wrote, read and checked
    render/     pages, feeds, ICS, words, lines          bytes per output path; nothing read from disk
    build/      pipeline, per_event, cache, history, write   how a build runs; the only writer
    importing/  original site, any ICS                   events from elsewhere, checked by the build's engine
    tools/      explain, new, serve                      editor commands around the build

At the root: model.py (records passed between phases), text.py (text rules every layer
shares), report.py (how problems and exit codes are told) and cli.py (arguments -> a command).
docs/architecture.md draws both.
"""

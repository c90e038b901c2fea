"""What editors wrote, read and checked: finding and reading content/ safely (load.py), where
each value sits in its file (positions.py), RFC 5545 rules and the friendly [repeat] table
(rules.py), every field checked into a typed Event with located problems (validate.py, hints.py),
and the checks of an event against its own schedule (lint.py).

Problems are values, every one located by file, line and column; nothing here prints or exits.
"""

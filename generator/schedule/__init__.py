"""Time, and nothing else: recurrence rules, their expansion into UTC instants in each event's own
zone (RFC 5545 for gaps and folds), zone arithmetic and date words.

Pure functions over the records of model.py: no I/O, no clock (`now` is always a parameter), no
other layer imported. tests/test_architecture.py holds it to that.
"""

"""How a build runs: the one pipeline (pipeline.py), the per-event stage and its workers
(per_event.py), what a build remembers for the next (cache.py), what git knows about each
event (history.py), and the all-or-nothing commit into the output (write.py, the only module
that writes the site).
"""

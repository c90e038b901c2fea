"""Nextup: a static site generator for communities that meet on a recurring schedule.

The build is a straight line of phases, one module each:
load -> validate -> expand -> render -> write (see pipeline.py).
"""

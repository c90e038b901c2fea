"""`build.py import`: events from elsewhere, as Nextup event files.

Not part of the build pipeline: a one-time tool an editor runs. Each importer turns foreign
records into drafts (`original.py` for the original site's export, `calendar.py` for any .ics);
`place.py` writes them as event files after checking them with the build's own validator and
expansion, and reports what was approximated and what needs a person to look.
"""

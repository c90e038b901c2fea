#!/usr/bin/env python3
"""Nextup's command line. Everything happens in generator/; see README.md."""
import sys

from generator.cli import main

if __name__ == "__main__":
    sys.exit(main())

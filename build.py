#!/usr/bin/env python3
"""Build the Rådsarkiv archive: `python build.py [build|check] …` (see README.md)."""

import sys

from raadsarkiv.cli import main

if __name__ == "__main__":
    sys.exit(main())

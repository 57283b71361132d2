#!/usr/bin/env python3
"""Build the sample archive: `python build.py [build|check] …`, the same as `raadsarkiv …` in this folder (see README.md)."""

import sys

from raadsarkiv.cli import main

if __name__ == "__main__":
    sys.exit(main(prog="python build.py"))

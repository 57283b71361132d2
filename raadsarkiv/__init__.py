"""Rådsarkiv: a static site generator for council and committee archives."""

__version__ = "0.2.0"  # the one place of the version: pyproject.toml reads it, CHANGELOG.md says what changed

"""Rådsarkiv: a static site generator for council and committee archives."""

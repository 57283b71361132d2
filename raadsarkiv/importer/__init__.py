"""`python build.py import`: published minutes (PDF, Word, HTML, text) into meeting files.

One responsibility per module: readers (text, pdf + pdflayout, word, html) turn a
document into `source.Line`s; `structure` recognises items, sections, attendance and
case metadata using `patterns` (configuration); `writer` is the one place that writes
the meeting file format; `report` tells the editor what happened; `command` runs it all.
"""

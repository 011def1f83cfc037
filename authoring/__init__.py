"""Tools for people writing scenarios: lint, the graph of a story, the JSON Schema, starters.

They read scenarios through :mod:`drillbook.scenarios` and never run them; nothing in the
engine, the scorer or the screens depends on them.
"""

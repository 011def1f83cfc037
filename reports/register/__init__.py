"""The exercise register: one SQLite file of exercises, improvement items and real incidents.

It is the organisation's evidence of readiness over time. ``drillbook register`` writes and
reads it; the TUI's end of play adds to it; ``drillbook list`` asks it which incident types
have gone unrehearsed.
"""

from drillbook.reports.register.exercises import Added, add_exercise, list_exercises
from drillbook.reports.register.incidents import Incident, add_incident, incident_from, parse_date
from drillbook.reports.register.items import close_item, list_items, mark_plan_change
from drillbook.reports.register.store import connect, default_db_path, resolve_db, transaction
from drillbook.reports.register.trend import Trend, last_quarters, quarter_of, trend, untested_types

__all__ = [
    "Added",
    "Incident",
    "Trend",
    "add_exercise",
    "add_incident",
    "close_item",
    "connect",
    "default_db_path",
    "incident_from",
    "last_quarters",
    "list_exercises",
    "list_items",
    "mark_plan_change",
    "parse_date",
    "quarter_of",
    "resolve_db",
    "transaction",
    "trend",
    "untested_types",
]

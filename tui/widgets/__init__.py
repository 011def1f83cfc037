"""Widgets shared by every seat: action forms and their fields, dialogs, the clock bar, the decision log."""

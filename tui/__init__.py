"""The Textual app that puts an exercise in front of people: the facilitator console and the
role consoles, as views over a session (the ``SessionLike`` protocol of ``simulator.protocol``).

This is the only package that imports Textual; nothing here scores or drives the story
itself. Build the app with :func:`tui.factory.make_app` (the ``play`` command and the tests
both do). ``tui.roster``, ``tui.format`` and ``tui.form_fields`` import no Textual.
"""

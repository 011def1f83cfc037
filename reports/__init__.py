"""What managers read: after-action reports, the briefing pack, and the exercise register.

Everything here starts from a journal (and, for the briefing pack, a scenario file) and
never from a live engine or screen: ``exercise`` reads and scores a journal, ``aar`` turns
it into the AAR/IP record, ``render`` prints records as HTML, Markdown or JSON, ``brief``
builds the Situation Manual and the facilitator's handbook, ``register`` keeps exercises,
improvement items and real incidents in SQLite, and ``finish`` does the end-of-play step.
"""

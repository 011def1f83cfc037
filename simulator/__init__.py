"""The exercise engine: SimPy model, simulated clock, journal, sessions, replay.

Nothing here imports Textual or the scorer: front ends and scoring read what this package
writes (the journal), never the other way round.
"""

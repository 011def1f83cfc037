"""drillbook: tabletop exercises for AI incident response."""

__version__ = "0.1.0"

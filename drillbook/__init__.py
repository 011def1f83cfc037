"""drillbook: tabletop exercises for AI incident response."""

from drillbook.formats.version import VERSION as __version__

__all__ = ["__version__"]

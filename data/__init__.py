"""The bundled data: the scenario library, its client profiles and transcripts, the default
response plan and the scenario starter.

Code never builds a path to these files from its own location; it asks :func:`path`, which
goes through ``importlib.resources`` so the data is found wherever the package is installed.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def path(*parts: str) -> Path:
    """The bundled file or folder at ``parts`` (``path("plans", "default.yaml")``).

    drillbook is installed as files on disk (a wheel is unpacked, an editable install points
    at the repository), so the resource is a real path the bounded readers can ``stat``.
    """
    return Path(str(resources.files(__name__).joinpath(*parts)))

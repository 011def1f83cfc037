"""The bundled data: the scenario library, its client profiles and transcripts, the default
response plan and the scenario starter.

Code never builds a path to these files from its own location; it asks :func:`path`, so the
data is found wherever the package is installed.
"""

from __future__ import annotations

from pathlib import Path

_HERE = Path(__file__).parent  # what ``importlib.resources.files`` gives a package on disk


def path(*parts: str) -> Path:
    """The bundled file or folder at ``parts`` (``path("plans", "default.yaml")``).

    drillbook is installed as files on disk (a wheel is unpacked, an editable install points
    at the repository), so the resource is a real path the bounded readers can ``stat``. For
    a package on disk ``importlib.resources.files`` is the package's folder; it is not asked,
    because importing it (with ``tempfile`` and ``zipfile``) cost every command ~8 ms.
    """
    return _HERE.joinpath(*parts)

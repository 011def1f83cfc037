"""What a drillbook process does once, before its command's imports: nothing it would not need.

pydantic looks for plugins (``importlib.metadata`` entry points) the first time it builds a
validator. drillbook uses no plugins and says so through ``PYDANTIC_DISABLE_PLUGINS``, so
the search itself is skipped, but the module that would search imports ``importlib.metadata``
and through it ``email``, ``zipfile``, ``csv`` and more: 15-20 ms, about a tenth of
``drillbook validate``. :func:`skip_plugin_search` puts a stand-in for that module in place
when, and only when, plugins are disabled outright, so behaviour is what pydantic's own
module would give: no plugins.
"""

from __future__ import annotations

import os
import sys
import types

PLUGIN_LOADER = "pydantic.plugin._loader"


def _no_plugins() -> tuple[()]:
    """pydantic's ``get_plugins`` when every plugin is disabled."""
    return ()


def skip_plugin_search() -> None:
    """Stand in for pydantic's plugin loader if plugins are disabled and it is not loaded yet."""
    if os.environ.get("PYDANTIC_DISABLE_PLUGINS") != "__all__" or PLUGIN_LOADER in sys.modules:
        return
    stand_in = types.ModuleType(PLUGIN_LOADER, "drillbook: plugins disabled; nothing to load")
    stand_in.get_plugins = _no_plugins  # type: ignore[attr-defined]
    sys.modules[PLUGIN_LOADER] = stand_in

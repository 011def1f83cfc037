"""What a drillbook process does once, before its command's imports: nothing it would not need.

pydantic looks for plugins (``importlib.metadata`` entry points) the first time it builds a
validator. drillbook uses no plugins and says so through ``PYDANTIC_DISABLE_PLUGINS``, so
the search itself is skipped, but the module that would search imports ``importlib.metadata``
and through it ``email``, ``zipfile``, ``csv`` and more: 15-20 ms, about a tenth of
``drillbook validate``. :func:`skip_plugin_search` puts a stand-in for that module in place
when, and only when, plugins are disabled outright, so behaviour is what pydantic's own
module would give: no plugins.

:func:`quick_default_factories` spares pydantic an ``inspect.signature`` of ``list`` for each
of the ~100 fields whose default is an empty container (see the note above it).
"""

from __future__ import annotations

import os
import sys
import types
from typing import Any

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


# pydantic asks, for every field whose default comes from a factory, whether the factory takes
# the validated data (``takes_validated_data_argument``). For ``list`` or ``dict`` that means
# ``inspect.signature`` of a built-in class: its text signature is tokenized and parsed, the
# first time after compiling tokenize's large pattern. A ``run`` asks it 97 times
# (``Field(default_factory=list)`` and the like), ~70 µs each. A built-in container's constructor
# never takes the data (its one parameter has a default), so for those the answer is known.
FIELDS = "pydantic._internal._fields"
_BUILTIN_FACTORIES = (list, dict, set, frozenset, tuple)


def _knows_builtin_factories(fields: types.ModuleType) -> None:
    """Answer pydantic's question at once for the built-in containers; ask it for the rest."""
    slow = getattr(fields, "takes_validated_data_argument", None)
    if slow is None or getattr(slow, "__drillbook_quick__", False):
        return  # another pydantic, or already done

    def takes_validated_data_argument(default_factory: Any) -> bool:
        if any(default_factory is t for t in _BUILTIN_FACTORIES):
            return False
        return slow(default_factory)

    takes_validated_data_argument.__drillbook_quick__ = True  # type: ignore[attr-defined]
    takes_validated_data_argument.__wrapped__ = slow  # type: ignore[attr-defined]
    fields.takes_validated_data_argument = takes_validated_data_argument  # type: ignore[attr-defined]
    schema = sys.modules.get("pydantic._internal._generate_schema")  # holds the name it imported
    if schema is not None and getattr(schema, "takes_validated_data_argument", None) is slow:
        schema.takes_validated_data_argument = takes_validated_data_argument  # type: ignore[attr-defined]


class _WhenFieldsLoad:
    """A finder that steps aside for everything but pydantic's field module, and for that one
    adds :func:`_knows_builtin_factories` to its loading (before anything imports its names)."""

    def find_spec(self, name: str, path: Any, target: Any = None) -> Any:
        if name != FIELDS:
            return None
        sys.meta_path.remove(self)
        from importlib.machinery import PathFinder

        spec = PathFinder.find_spec(name, path)
        loader = getattr(spec, "loader", None)
        if loader is None or not hasattr(loader, "exec_module"):
            return spec
        load = loader.exec_module

        def exec_module(module: types.ModuleType) -> None:
            load(module)
            _knows_builtin_factories(module)

        loader.exec_module = exec_module
        return spec


def quick_default_factories() -> None:
    """Spare pydantic ``inspect.signature(list)`` for every ``default_factory=list`` field, from
    the moment its field module loads (or now, if it has loaded already). Commands that never
    build a model never import pydantic for it."""
    if FIELDS in sys.modules:
        _knows_builtin_factories(sys.modules[FIELDS])
    elif not any(isinstance(f, _WhenFieldsLoad) for f in sys.meta_path):
        sys.meta_path.insert(0, _WhenFieldsLoad())

"""PyYAML and drillbook's composer: imported only when a YAML text is actually composed.

Most commands never compose: the scenario, plan and client profile a ``validate``, ``score``
or ``report`` reads are usually recalled from :mod:`validcache` by their bytes' digest.
Importing PyYAML (its reader compiles a large character-class regex at import) was ~10 ms of
each of those commands for nothing, so :mod:`yamlsource` imports this module on the first
parse instead of at start-up.
"""

from __future__ import annotations

from typing import Any

import yaml

try:  # the C composer is much faster; fall back silently where libyaml is missing
    Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    Loader = yaml.SafeLoader

STR_TAG = "tag:yaml.org,2002:str"
ScalarNode, SequenceNode, MappingNode = yaml.ScalarNode, yaml.SequenceNode, yaml.MappingNode


class Composer(Loader):  # type: ignore[misc, valid-type]
    """PyYAML's composer with its tag resolver switched off.

    The resolver guesses a tag for every plain scalar (int, float, bool, timestamp, …) with a
    regex per candidate: a third of the composing time of a large file, and its guesses are
    YAML 1.1's, which ``yamlsource._scalar`` overrules anyway. Every implicit tag is therefore
    the string tag; ``_scalar`` types plain scalars itself, and an explicit tag (``!!str``,
    ``!custom``) still arrives as written.
    """

    def resolve(self, kind: type, value: Any, implicit: Any) -> str:
        return STR_TAG

    # The composer tells the resolver each step down and up the tree, for path-based tags
    # that ``resolve`` above never consults: two calls a node, done with at once.
    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        pass

    def ascend_resolver(self) -> None:
        pass

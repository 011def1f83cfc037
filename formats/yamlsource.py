"""YAML with positions: the one way drillbook reads a YAML file.

Every file a person writes (scenario, response plan, client profile, roster, transcript) is
read here so that every problem can be reported as ``file:line:col``. PyYAML is used only to
*compose* the node tree (``CSafeLoader`` where available, it is several times faster); the
data is then built from the nodes by us, which buys three things PyYAML does not give:

* each value's position, kept in :class:`Positions` under its path (``("injects", 2, "at")``);
* duplicate keys reported instead of silently keeping the last one;
* YAML 1.2-style scalars: only ``true``/``false`` are booleans (``no`` stays the string "no"),
  and ``1:30`` stays a string instead of PyYAML's sexagesimal 90, so that an unquoted offset
  is reported rather than misread. Dates stay strings too.

It is also the guard against hostile YAML (bounds in :mod:`scenarios.limits`): aliases may
add at most ``MAX_ALIAS_NODES`` nodes (counted as the data is built, so a 400-byte "billion
laughs" is refused in microseconds), nesting is bounded, numbers must be finite and of sane
magnitude, and every string has its control characters made visible (:mod:`safetext`).
"""

from __future__ import annotations

import contextlib
import hashlib
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

from drillbook.formats.collector import collector_paused
from drillbook.formats.errors import InputError, Problem
from drillbook.formats.limits import MAX_ALIAS_NODES, MAX_DEPTH, MAX_NUMBER, read_bounded
from drillbook.formats.positions import Path_, Positions
from drillbook.formats.safetext import is_clean, visible

if TYPE_CHECKING:
    import yaml

_STR = "tag:yaml.org,2002:str"
# PyYAML's node classes, bound by :func:`_yaml` before anything is composed or built: PyYAML
# is imported only then (see :mod:`yamlcompose`). The builder's hot loops test against these
# module globals, as fast as before.
_ScalarNode: Any = None
_SequenceNode: Any = None
_MappingNode: Any = None
_INT = re.compile(r"^[-+]?(0|[1-9][0-9_]*)$")
_FLOAT = re.compile(r"^[-+]?(\d[\d_]*)?\.\d+([eE][-+]?\d+)?$|^[-+]?\d[\d_]*[eE][-+]?\d+$")
_NON_FINITE = re.compile(r"^[-+]?\.(inf|Inf|INF|nan|NaN|NAN)$")
_NULL = {"", "~", "null", "Null", "NULL"}
_TRUE = {"true", "True", "TRUE"}
_FALSE = {"false", "False", "FALSE"}
# How a plain scalar that is not a string begins: a number, a sign, a dot, or one of the
# words above. A plain scalar beginning otherwise is a string, and is taken as it stands.
_TYPED_START = frozenset("0123456789+-.~nNtTfF")


@dataclass
class Document:
    """Plain data (dicts, lists, scalars) plus where each piece came from."""

    data: Any
    positions: Positions
    sha256: str = ""  # of the file's bytes as read (empty for text parsed from memory)

    @property
    def file(self) -> str:
        return self.positions.file


def _mark(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


class _Refused(Exception):
    """A scalar that cannot be data; placed by the builder at the scalar's node."""


def _number_problem(text: str) -> str:
    shown = f"{text[:20]}…" if len(text) > 20 else text
    return f"{shown} is too large; expected a number within ±{MAX_NUMBER:,}"


def _scalar(node: yaml.ScalarNode) -> Any:
    text = node.value
    if node.style in ("'", '"', "|", ">") or node.tag not in (
        "tag:yaml.org,2002:str",
        "tag:yaml.org,2002:int",
        "tag:yaml.org,2002:float",
        "tag:yaml.org,2002:bool",
        "tag:yaml.org,2002:null",
        "tag:yaml.org,2002:timestamp",
    ):
        return visible(text)
    if text in _NULL:
        return None
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    if _INT.match(text):
        digits = text.replace("_", "").lstrip("+-")
        if len(digits) > len(str(MAX_NUMBER)):  # before int(): 5000 digits must not reach it
            raise _Refused(_number_problem(text))
        value = int(text.replace("_", ""))
        if abs(value) > MAX_NUMBER:
            raise _Refused(_number_problem(text))
        return value
    if _FLOAT.match(text):
        number = float(text.replace("_", ""))
        if not math.isfinite(number) or abs(number) > MAX_NUMBER:
            raise _Refused(_number_problem(text))
        return number
    if _NON_FINITE.match(text):
        raise _Refused(f"{text} is not a finite number; expected a number")
    return visible(text)


@dataclass
class _Builder:
    """Builds plain data from the node tree, recording positions and counting what aliases add.

    PyYAML's composer shares one node object for an anchor and all its aliases, so the tree
    is really a graph: building it naïvely expands ``&a [*b, *b, …]`` nine levels deep into
    hundreds of millions of values. With ``graph`` (the text has an anchor) every node built
    a second time is counted against ``MAX_ALIAS_NODES``, and a node inside itself
    (``&a [*a]``) is refused at once; a text without ``&`` has no anchor, so no alias, and
    each node is built once without that bookkeeping.

    Positions go to ``record``, flat and in building order, for :func:`positions.replay`: a scalar
    is ``line, col``; a list is ``-line, col, len``; a mapping is ``-line, col, ~len`` and
    then, per key, ``key, key line, key col`` before the value's own record. With ``clean``
    (the whole text has no control character) only a double-quoted scalar, whose escapes
    can spell one, is passed through :func:`visible`.
    """

    pos: Positions
    problems: list[Problem]
    graph: bool = True
    clean: bool = False
    record: list[Any] = field(default_factory=list)
    seen: set[int] = field(default_factory=set)
    open: set[int] = field(default_factory=set)
    expanded: int = 0
    copying: int = 0  # > 0 while building a node a second time (through an alias)
    # A shared node's marks point at its anchor, so a problem is placed at the innermost
    # container being built for the first time: the list or mapping that holds the alias.
    site: yaml.Node | None = None

    def __post_init__(self) -> None:
        self.build = self._shared if self.graph else self._node
        self.note = self.record.append

    def stop(self, node: yaml.Node, message: str) -> _Stop:
        line, col = _mark(node)
        self.problems.append(Problem(self.pos.file, line, col, message))
        return _Stop()

    def _shared(self, node: yaml.Node, depth: int) -> Any:
        """:meth:`_node` with the alias bookkeeping around it."""
        key = id(node)
        if key in self.open:
            raise self.stop(node, "an alias refers to a node that contains it; expected a tree")
        reused = key in self.seen
        if reused:
            self.expanded += 1
            if self.expanded > MAX_ALIAS_NODES:
                raise self.stop(
                    self.site or node,
                    f"aliases expand to more than {MAX_ALIAS_NODES:,} nodes; "
                    "expected a file that spells out its data (an alias bomb?)",
                )
        self.seen.add(key)
        if isinstance(node, _ScalarNode):
            return self._node(node, depth)
        self.open.add(key)
        outer_site = self.site
        self.copying += reused
        if not self.copying:
            self.site = node
        try:
            return self._node(node, depth)
        finally:
            self.open.discard(key)
            self.copying -= reused
            self.site = outer_site

    def _node(self, node: yaml.Node, depth: int) -> Any:
        if depth > MAX_DEPTH:
            raise self.stop(node, f"nested deeper than {MAX_DEPTH} levels; expected a flatter file")
        mark, note = node.start_mark, self.note
        if isinstance(node, _ScalarNode):
            note(mark.line + 1)
            note(mark.column + 1)
            return self._leaf(node)
        note(-mark.line - 1)
        note(mark.column + 1)
        if isinstance(node, _SequenceNode):
            note(len(node.value))
            build = self.build
            return [build(item, depth + 1) for item in node.value]
        if isinstance(node, _MappingNode):
            note(~len(node.value))
            return self._mapping(node, depth)
        raise AssertionError(f"unexpected YAML node {node!r}")  # pragma: no cover

    def _leaf(self, node: yaml.ScalarNode) -> Any:
        """A scalar's value; a plain word (most scalars) is a string without further ado."""
        text = node.value
        if not node.style and node.tag == _STR and text and text[0] not in _TYPED_START:
            return text if self.clean else visible(text)
        try:
            return _scalar(node)
        except _Refused as exc:
            line, col = _mark(node)
            self.problems.append(Problem(self.pos.file, line, col, str(exc)))
            return None

    def _key(self, key_node: yaml.ScalarNode) -> str:
        if self.clean and not key_node.style:
            return str(key_node.value)
        return visible(str(key_node.value))

    def _mapping(self, node: yaml.MappingNode, depth: int) -> dict[str, Any]:
        pos, problems, note, build, leaf = (
            self.pos,
            self.problems,
            self.note,
            self.build,
            self._leaf,
        )
        # A scalar value of a tree is built right here: most values are, and a call each
        # was a tenth of the build. Under an anchor every node goes through ``build``.
        inline = not self.graph and depth < MAX_DEPTH
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, _ScalarNode):
                line, col = _mark(key_node)
                problems.append(Problem(pos.file, line, col, "a key must be a plain word"))
                continue
            key = self._key(key_node)
            if key == "<<":
                line, col = _mark(key_node)
                problems.append(Problem(pos.file, line, col, "merge keys (<<) are not supported"))
                continue
            if key in out:
                line, col = _mark(key_node)
                first = self._first(node, key)
                problems.append(
                    Problem(
                        pos.file,
                        line,
                        col,
                        f"duplicate key '{key}' (first at line {first[0]}); expected each key once",
                    )
                )
                continue
            mark = key_node.start_mark
            note(key)
            note(mark.line + 1)
            note(mark.column + 1)
            if inline and value_node.__class__ is _ScalarNode:
                mark = value_node.start_mark
                note(mark.line + 1)
                note(mark.column + 1)
                out[key] = leaf(value_node)
            else:
                out[key] = build(value_node, depth + 1)
        return out

    def _first(self, node: yaml.MappingNode, key: str) -> tuple[int, int]:
        """Where ``key`` first appears in a mapping (the one kept, for a duplicate's message)."""
        for key_node, _ in node.value:
            if isinstance(key_node, _ScalarNode) and self._key(key_node) == key:
                return _mark(key_node)
        raise AssertionError(f"key {key!r} was kept, so it is in the mapping")  # pragma: no cover


class _Stop(Exception):
    """Building cannot go on (an alias bomb, a cycle): the problem is already recorded."""


def parse(text: str, file: str) -> Document:
    """Parse YAML text into a :class:`Document`; raise :class:`InputError` on any problem.

    The cyclic garbage collector is paused meanwhile: composing allocates a node per value,
    all of it kept alive, and CPython's full collections rescanned the growing tree again
    and again (a 10,000-inject scenario composed 4× slower with it, and worse the larger it
    got). The tree holds no reference cycles to collect; the collector resumes afterwards.
    """
    with collector_paused():
        return _parse(text, file)


def _yaml() -> ModuleType:
    """PyYAML and the composer (:mod:`yamlcompose`), imported on first use, with the node
    classes bound here for the builder."""
    global _ScalarNode, _SequenceNode, _MappingNode
    from drillbook.formats import yamlcompose

    if _ScalarNode is None:
        _ScalarNode, _SequenceNode, _MappingNode = (
            yamlcompose.ScalarNode,
            yamlcompose.SequenceNode,
            yamlcompose.MappingNode,
        )
    return yamlcompose


def _parse(text: str, file: str) -> Document:
    composing = _yaml()
    yaml = composing.yaml
    try:
        node = yaml.compose(text, Loader=composing.Composer)
    except yaml.reader.ReaderError as exc:  # a NUL or another character YAML forbids
        line, col = _place(text, exc.position)
        char = exc.character
        code = ord(char) if isinstance(char, str) else char
        what = f"character #x{code:04x} is not allowed in YAML; expected text"
        raise InputError([Problem(file, line, col, what)]) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        what = exc.problem or exc.context or "malformed YAML"
        raise InputError([Problem(file, line, col, f"malformed YAML: {what}")]) from None
    except yaml.YAMLError as exc:  # pragma: no cover - composer errors are all marked
        raise InputError([Problem(file, 1, 1, f"malformed YAML: {exc}")]) from None
    if node is None:
        raise InputError([Problem(file, 1, 1, "the file is empty; expected a YAML mapping")])
    return build(node, file, graph="&" in text, clean=is_clean(text))


def build(node: yaml.Node, file: str, *, graph: bool = True, clean: bool = False) -> Document:
    """The document of a composed node tree (``graph``/``clean``: see :class:`_Builder`);
    raise :class:`InputError` with every problem found."""
    _yaml()  # binds the node classes the builder tests against
    pos = Positions(file)
    problems: list[Problem] = []
    builder = _Builder(pos, problems, graph=graph, clean=clean)
    data: Any = None
    with contextlib.suppress(_Stop):  # the problem that stopped it is in ``problems``
        data = builder.build(node, 0)
    if problems:
        raise InputError(problems)
    pos._record = builder.record  # tabled on first use (see Positions)
    return Document(data, pos)


def _place(text: str, index: int) -> tuple[int, int]:
    """1-based line and column of character ``index`` in ``text``."""
    before = text[: max(index, 0)]
    return before.count("\n") + 1, index - (before.rfind("\n") + 1) + 1


def read(path: str | Path, *, reuse: bool = False) -> Document:
    """Read and parse one YAML file; a missing, special, oversized or unreadable file is an
    :class:`InputError` (see :func:`scenarios.limits.read_bounded`). ``reuse``: see
    :func:`parse_bytes`."""
    return parse_bytes(read_bounded(Path(path), "a YAML file"), path, reuse=reuse)


def parse_bytes(
    raw: bytes, path: str | Path, sha256: str | None = None, *, reuse: bool = False
) -> Document:
    """Parse a file's bytes as :func:`read` does, for a caller that has read them already
    (``sha256``: their digest, if it has that too). With ``reuse``, bytes that parsed cleanly
    under this name before give the document they gave then (see :mod:`validcache`): the
    scenario and plan every headless command reads."""
    p = Path(path)
    if reuse:
        from drillbook.formats import validcache

        sha256 = sha256 or hashlib.sha256(raw).hexdigest()
        known = validcache.recall_document(Document, sha256, str(p))
        if known is not None:
            return known
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        good = raw[: exc.start].decode("utf-8", "replace")
        line, col = _place(good, len(good))
        raise InputError(
            [Problem(str(p), line, col, f"not UTF-8 text ({exc.reason}); expected UTF-8")]
        ) from None
    doc = parse(text, str(p))
    # The digest of exactly what was parsed: a journal records which version it was played on.
    doc.sha256 = sha256 or hashlib.sha256(raw).hexdigest()
    if reuse:
        validcache.keep_document(doc.sha256, str(p), doc)
    return doc


def walk_paths(data: Any, path: Path_ = ()) -> Iterator[Path_]:
    """Every path in plain data, depth first (used by tests and linters)."""
    yield path
    if isinstance(data, dict):
        for k, v in data.items():
            yield from walk_paths(v, (*path, k))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield from walk_paths(v, (*path, i))

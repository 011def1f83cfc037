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
"""

from __future__ import annotations

import gc
import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

try:  # the C composer is much faster; fall back silently where libyaml is missing
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader

Path_ = tuple[str | int, ...]

_INT = re.compile(r"^[-+]?(0|[1-9][0-9_]*)$")
_FLOAT = re.compile(r"^[-+]?(\d[\d_]*)?\.\d+([eE][-+]?\d+)?$|^[-+]?\d[\d_]*[eE][-+]?\d+$")
_NULL = {"", "~", "null", "Null", "NULL"}
_TRUE = {"true", "True", "TRUE"}
_FALSE = {"false", "False", "FALSE"}


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input file, already placed."""

    file: str
    line: int
    col: int
    message: str

    def __str__(self) -> str:
        if self.line <= 0:  # the file as a whole (missing, unreadable)
            return f"{self.file}: {self.message}"
        return f"{self.file}:{self.line}:{self.col}: {self.message}"


class InputError(Exception):
    """Raised with every problem found in one input; ``str()`` gives one line per problem."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems, key=lambda p: (p.file, p.line, p.col))
        super().__init__("\n".join(str(p) for p in self.problems))


@dataclass
class Positions:
    """Where each value of a document sits: path → (line, col), both 1-based."""

    file: str
    _at: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    _key_at: dict[Path_, tuple[int, int]] = field(default_factory=dict)

    def of(self, path: Path_, *, key: bool = False) -> tuple[int, int]:
        """The position of ``path``, or of its nearest ancestor that has one."""
        table = self._key_at if key else self._at
        p = tuple(path)
        while p:
            if p in table:
                return table[p]
            if p in self._at:
                return self._at[p]
            p = p[:-1]
        return self._at.get((), (1, 1))

    def problem(self, path: Path_, message: str, *, key: bool = False) -> Problem:
        line, col = self.of(path, key=key)
        return Problem(self.file, line, col, message)


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
        return text
    if text in _NULL:
        return None
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    if _INT.match(text):
        return int(text.replace("_", ""))
    if _FLOAT.match(text):
        return float(text.replace("_", ""))
    return text


def _build(node: yaml.Node, path: Path_, pos: Positions, problems: list[Problem]) -> Any:
    pos._at[path] = _mark(node)
    if isinstance(node, yaml.ScalarNode):
        return _scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return [_build(item, (*path, i), pos, problems) for i, item in enumerate(node.value)]
    if isinstance(node, yaml.MappingNode):
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                line, col = _mark(key_node)
                problems.append(Problem(pos.file, line, col, "a key must be a plain word"))
                continue
            key = str(key_node.value)
            if key == "<<":
                line, col = _mark(key_node)
                problems.append(Problem(pos.file, line, col, "merge keys (<<) are not supported"))
                continue
            if key in out:
                line, col = _mark(key_node)
                first = pos._key_at[(*path, key)]
                problems.append(
                    Problem(
                        pos.file,
                        line,
                        col,
                        f"duplicate key '{key}' (first at line {first[0]}); expected each key once",
                    )
                )
                continue
            pos._key_at[(*path, key)] = _mark(key_node)
            out[key] = _build(value_node, (*path, key), pos, problems)
        return out
    raise AssertionError(f"unexpected YAML node {node!r}")  # pragma: no cover


def parse(text: str, file: str) -> Document:
    """Parse YAML text into a :class:`Document`; raise :class:`InputError` on any problem.

    The cyclic garbage collector is paused meanwhile: composing allocates a node per value,
    all of it kept alive, and CPython's full collections rescanned the growing tree again
    and again (a 10,000-inject scenario composed 4× slower with it, and worse the larger it
    got). The tree holds no reference cycles to collect; the collector resumes afterwards.
    """
    paused = gc.isenabled()
    gc.disable()
    try:
        return _parse(text, file)
    finally:
        if paused:
            gc.enable()


def _parse(text: str, file: str) -> Document:
    pos = Positions(file)
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        what = exc.problem or exc.context or "malformed YAML"
        raise InputError([Problem(file, line, col, f"malformed YAML: {what}")]) from None
    except yaml.YAMLError as exc:  # pragma: no cover - composer errors are all marked
        raise InputError([Problem(file, 1, 1, f"malformed YAML: {exc}")]) from None
    if node is None:
        raise InputError([Problem(file, 1, 1, "the file is empty; expected a YAML mapping")])
    problems: list[Problem] = []
    data = _build(node, (), pos, problems)
    if problems:
        raise InputError(problems)
    return Document(data, pos)


def read(path: str | Path) -> Document:
    """Read and parse one YAML file; a missing or unreadable file is an :class:`InputError`."""
    p = Path(path)
    try:
        raw = p.read_bytes()
        text = raw.decode("utf-8")
    except FileNotFoundError:
        raise InputError([Problem(str(p), 0, 0, "no such file")]) from None
    except IsADirectoryError:
        raise InputError([Problem(str(p), 0, 0, "is a directory; expected a YAML file")]) from None
    except UnicodeDecodeError as exc:
        raise InputError([Problem(str(p), 1, 1, f"not UTF-8 text ({exc.reason})")]) from None
    except OSError as exc:
        raise InputError([Problem(str(p), 0, 0, f"cannot read: {exc.strerror}")]) from None
    doc = parse(text, str(p))
    # The digest of exactly what was parsed: a journal records which version it was played on.
    doc.sha256 = hashlib.sha256(raw).hexdigest()
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

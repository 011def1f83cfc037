"""A scenario as a graph: injects, options, sources and meters, and what leads to what.

The linter reasons over this graph (what can be reached, what depends on what) and
``drillbook graph`` draws it for a facilitator preparing the exercise. Edges point from a
cause to what it can trigger: a timed inject from the start, a conditional inject from each
thing its condition names, an option from the inject that asks it.
"""

from __future__ import annotations

from typing import Any

import networkx as nx
from drillbook.formats.offsets import fmt_offset
from drillbook.scenarios.conditions import (
    Chosen,
    Delivered,
    Done,
    Investigated,
    MeterAbove,
    NotDone,
    describe,
    signed_leaves,
)
from drillbook.scenarios.model import Scenario

START = "start"


def inject_node(inject_id: str) -> str:
    return f"inject:{inject_id}"


def build(s: Scenario) -> nx.DiGraph:
    """Nodes: start, inject:*, option:*/*, source:*, meter:*, action:*. Edges: may trigger."""
    g = nx.DiGraph()
    g.add_node(START, kind="start", label=f"Start {s.start}")
    for src in s.sources:
        g.add_node(f"source:{src.id}", kind="source", label=src.title, access=list(src.access))
    for m in s.meters:
        g.add_node(f"meter:{m.id}", kind="meter", label=m.label)
    for inj in s.injects:
        node = inject_node(inj.id)
        when = fmt_offset(inj.at) if inj.at is not None else describe(inj.when)
        g.add_node(
            node,
            kind="inject",
            label=inj.title,
            when=when,
            phase=inj.phase,
            timed=inj.at is not None,
        )
        if inj.at is not None:
            g.add_edge(START, node, label=fmt_offset(inj.at))
        if inj.question:
            for opt in inj.question.options:
                onode = f"option:{inj.id}/{opt.id}"
                g.add_node(onode, kind="option", label=opt.label)
                g.add_edge(node, onode, label="answer")
        for action in inj.expects:
            anode = f"action:{action}"
            g.add_node(anode, kind="action", label=action)
            g.add_edge(node, anode, label="expects")
    for inj in s.injects:
        if inj.when is None:
            continue
        for leaf, negated in signed_leaves(inj.when):
            label = f"not ({describe(leaf)})" if negated else describe(leaf)
            for cause in _causes(leaf):
                if cause not in g:
                    g.add_node(cause, kind=cause.split(":", 1)[0], label=cause.split(":", 1)[1])
                g.add_edge(cause, inject_node(inj.id), label=label)
    return g


def _causes(leaf: Any) -> list[str]:
    """The graph nodes a leaf condition depends on."""
    if isinstance(leaf, Delivered):
        return [inject_node(leaf.delivered)]
    if isinstance(leaf, Chosen):
        return [f"option:{leaf.chosen.inject}/{leaf.chosen.option}"]
    if isinstance(leaf, Investigated):
        return [f"source:{leaf.investigated}"]
    if isinstance(leaf, MeterAbove):
        return [f"meter:{leaf.meter}"]
    if isinstance(leaf, Done):
        return [f"action:{leaf.done}"]
    if isinstance(leaf, NotDone):
        return [f"action:{leaf.not_done}"]
    return [START]  # after: time alone


def _ids(g: nx.DiGraph) -> dict[str, str]:
    return {n: f"n{i}" for i, n in enumerate(g.nodes)}


def _text(value: str) -> str:
    return " ".join(str(value).split())  # one line: newlines and runs of spaces folded


# Mermaid reads a quoted label as HTML (and backticks as Markdown); its escapes are entity
# codes written with '#'. A scenario title like <img src=x onerror=…> must stay text.
_MERMAID = {"#": "#35;", "&": "#amp;", "<": "#lt;", ">": "#gt;", '"': "#quot;", "`": "#96;"}


def mermaid_text(value: str) -> str:
    """A label for a quoted Mermaid string: markup characters as entity codes."""
    return "".join(_MERMAID.get(ch, ch) for ch in _text(value))


def dot_text(value: str) -> str:
    """A label for a quoted DOT string: backslashes and quotes escaped (``\\N`` stays text)."""
    return _text(value).replace("\\", "\\\\").replace('"', '\\"')


def to_mermaid(s: Scenario) -> str:
    """A Mermaid flowchart of the scenario's branches."""
    g = build(s)
    ids = _ids(g)
    shapes = {
        "start": ('(["', '"])'),
        "inject": ('["', '"]'),
        "option": ('{{"', '"}}'),
        "source": ('[("', '")]'),
        "meter": ('[/"', '"/]'),
        "action": ('(["', '"])'),
    }
    lines = ["flowchart LR"]
    for node, data in g.nodes(data=True):
        left, right = shapes.get(data["kind"], ('["', '"]'))
        label = mermaid_text(data["label"])
        if data["kind"] == "inject":
            head = mermaid_text(f"{node.split(':', 1)[1]} · {data['when']}")
            label = f"{head}<br/>{label}"  # the one tag we write on purpose
        lines.append(f"  {ids[node]}{left}{label}{right}")
    for a, b, data in g.edges(data=True):
        lines.append(f'  {ids[a]} -->|"{mermaid_text(data["label"])}"| {ids[b]}')
    return "\n".join(lines) + "\n"


def to_dot(s: Scenario) -> str:
    """A Graphviz DOT digraph of the scenario's branches."""
    g = build(s)
    ids = _ids(g)
    shapes = {
        "start": "circle",
        "inject": "box",
        "option": "diamond",
        "source": "cylinder",
        "meter": "parallelogram",
        "action": "ellipse",
    }
    lines = [f'digraph "{dot_text(s.id)}" {{', "  rankdir=LR;", '  node [fontname="Helvetica"];']
    for node, data in g.nodes(data=True):
        label = dot_text(data["label"])
        if data["kind"] == "inject":
            head = dot_text(f"{node.split(':', 1)[1]} ({data['when']})")
            label = f"{head}\\n{label}"  # DOT's line break, written on purpose
        lines.append(f'  {ids[node]} [shape={shapes.get(data["kind"], "box")}, label="{label}"];')
    for a, b, data in g.edges(data=True):
        lines.append(f'  {ids[a]} -> {ids[b]} [label="{dot_text(data["label"])}"];')
    lines.append("}")
    return "\n".join(lines) + "\n"

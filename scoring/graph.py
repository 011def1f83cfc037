"""The plan's precedence graph: which steps the plan puts before which.

Edges come from three places: a step's ``after`` list (the plan's order of work), precedence
rules (evidence before any change to the system) and guard prerequisites (legal and the client
consulted before a public statement). networkx holds the graph so that a cycle can be named
step by step, ties on the plan's timeline break in a topological order, and the longest chain
of required steps gives the expected critical path.
"""

from __future__ import annotations

from typing import Any

import networkx as nx
from drillbook.formats.yamlsource import Path_
from drillbook.scoring.plan import GuardRule, PrecedenceRule, ResponsePlan

_START = "\x00start"  # a virtual source so that the longest path may begin at any step


def precedence_graph(plan: ResponsePlan) -> nx.DiGraph:
    """Steps as nodes (in plan order); each edge keeps the document path that declared it."""
    g = nx.DiGraph()
    known = {s.id for s in plan.steps}
    for s in plan.steps:
        g.add_node(s.id)

    def edge(a: str, b: str, path: Path_) -> None:
        if a in known and b in known and not g.has_edge(a, b):
            g.add_edge(a, b, path=path)

    for i, s in enumerate(plan.steps):
        for j, before in enumerate(s.after):
            edge(before, s.id, ("steps", i, "after", j))
    for i, r in enumerate(plan.rules):
        if isinstance(r, PrecedenceRule):
            for j, later in enumerate(r.after):
                edge(r.before, later, ("rules", i, "after", j))
        elif isinstance(r, GuardRule):
            for j, req in enumerate(r.requires_before):
                edge(req, r.step, ("rules", i, "requires_before", j))
    return g


def _declared(path: Path_) -> tuple[Any, ...]:
    """Declaration order: steps come before rules in a plan file."""
    return (0 if path[0] == "steps" else 1, *path[1:2], *path[3:])


def find_cycle(g: nx.DiGraph) -> tuple[list[str], Path_] | None:
    """A cycle as the steps around it, and the path of the edge declared last (which closed it)."""
    try:
        edges = nx.find_cycle(g)
    except nx.NetworkXNoCycle:
        return None
    steps = [u for u, _ in edges] + [edges[0][0]]
    closing = max((g.edges[u, v]["path"] for u, v in edges), key=_declared)
    return steps, closing


def step_order(plan: ResponsePlan, g: nx.DiGraph | None = None) -> dict[str, int]:
    """Each step's rank in a topological order (plan order among equals): ties on the
    plan's timeline play in this order, so evidence is preserved before containment."""
    g = g if g is not None else precedence_graph(plan)
    index = {s.id: i for i, s in enumerate(plan.steps)}
    order = nx.lexicographical_topological_sort(g, key=lambda n: index[n])
    return {step: rank for rank, step in enumerate(order)}


def critical_path(plan: ResponsePlan, required: set[str], g: nx.DiGraph | None = None) -> list[str]:
    """The longest chain of required steps through the graph, in order.

    Steps that are not required (no rule applies to them at this severity) may link required
    ones but are left out of the answer; an edge counts 1 when it leads to a required step.
    """
    g = (g if g is not None else precedence_graph(plan)).copy()
    for u, v in g.edges:
        g.edges[u, v]["w"] = 1 if v in required else 0
    g.add_node(_START)
    for n in list(g.nodes):
        if n != _START:
            g.add_edge(_START, n, w=1 if n in required else 0)
    path = nx.dag_longest_path(g, weight="w", default_weight=0, topo_order=None)
    return [n for n in path if n in required]

"""The hand-written precedence graph walks agree with networkx's, ties included.

``scoring.graph`` walks the plan's graph itself so that scoring does not import networkx;
the step order and the critical path it gives must be the ones networkx gave (the golden
scorecards were made with them). Random graphs of a plan's size, compared with networkx.
"""

from __future__ import annotations

from itertools import pairwise
from types import SimpleNamespace
from typing import Any

import networkx as nx
from drillbook.scoring.graph import PrecedenceGraph, critical_path, find_cycle, step_order
from hypothesis import given, settings
from hypothesis import strategies as st


@st.composite
def graphs(draw: st.DrawFn, acyclic: bool = True) -> tuple[Any, PrecedenceGraph]:
    """A plan of up to 12 steps and a graph over them; acyclic edges run forward in a
    random permutation of the steps, so plan order and topological order differ."""
    n = draw(st.integers(1, 12))
    ids = [f"s{i}" for i in range(n)]
    rank = draw(st.permutations(range(n)))
    pairs = draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=30))
    g = PrecedenceGraph(ids)
    for k, (a, b) in enumerate(pairs):
        if a == b or (acyclic and rank[a] >= rank[b]):
            continue
        g.add_edge(ids[a], ids[b], ("steps", k, "after", 0))
    plan = SimpleNamespace(steps=[SimpleNamespace(id=i) for i in ids])
    return plan, g


def networkx_critical_path(g: PrecedenceGraph, required: set[str]) -> list[str]:
    """What scoring.graph did with networkx before it walked the graph itself."""
    nxg = g.to_networkx().copy()
    for u, v in nxg.edges:
        nxg.edges[u, v]["w"] = 1 if v in required else 0
    nxg.add_node("\x00start")
    for n in list(nxg.nodes):
        if n != "\x00start":
            nxg.add_edge("\x00start", n, w=1 if n in required else 0)
    path = nx.dag_longest_path(nxg, weight="w", default_weight=0, topo_order=None)
    return [n for n in path if n in required]


@settings(max_examples=150, deadline=None)
@given(graphs(), st.data())
def test_step_order_and_critical_path_match_networkx(case: Any, data: st.DataObject) -> None:
    plan, g = case
    index = {s.id: i for i, s in enumerate(plan.steps)}
    expected = nx.lexicographical_topological_sort(g.to_networkx(), key=lambda n: index[n])
    assert step_order(plan, g) == {s: r for r, s in enumerate(expected)}
    required = set(data.draw(st.lists(st.sampled_from(g.nodes))))
    assert critical_path(plan, required, g) == networkx_critical_path(g, required)
    assert find_cycle(g) is None


@settings(max_examples=100, deadline=None)
@given(graphs(acyclic=False))
def test_a_cycle_is_found_exactly_when_networkx_finds_one(case: Any) -> None:
    _, g = case
    has_cycle = not nx.is_directed_acyclic_graph(g.to_networkx())
    found = find_cycle(g)
    assert (found is not None) == has_cycle
    if found:
        steps, closing = found
        assert steps[0] == steps[-1] and all(g.has_edge(a, b) for a, b in pairwise(steps))
        assert closing in [g.succ[a][b] for a, b in pairwise(steps)]

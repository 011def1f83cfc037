"""The plan's precedence graph: which steps the plan puts before which.

Edges come from three places: a step's ``after`` list (the plan's order of work), precedence
rules (evidence before any change to the system) and guard prerequisites (legal and the client
consulted before a public statement). A cycle is named step by step, ties on the plan's
timeline break in a topological order, and the longest chain of required steps gives the
expected critical path.

The graph is some thirty steps and every ``score`` walks it, so it is held and walked here
by hand rather than by networkx, whose import alone cost about a fifth of ``drillbook run``.
The walks give exactly what networkx's ``lexicographical_topological_sort`` and
``dag_longest_path`` give (ties included: tests compare them on random graphs); naming a
cycle, the rare case of a broken plan, still asks networkx's ``find_cycle``.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterator
from typing import Any

from drillbook.formats.yamlsource import Path_
from drillbook.scoring.plan import GuardRule, PrecedenceRule, ResponsePlan


class PrecedenceGraph:
    """Steps in plan order; for each, the steps after it (in the order the edges were
    declared), each edge keeping the document path that declared it."""

    __slots__ = ("nodes", "succ")

    def __init__(self, nodes: list[str]) -> None:
        self.nodes = list(nodes)
        self.succ: dict[str, dict[str, Path_]] = {n: {} for n in self.nodes}

    def add_edge(self, a: str, b: str, path: Path_) -> None:
        self.succ[a].setdefault(b, path)

    def has_edge(self, a: str, b: str) -> bool:
        return b in self.succ.get(a, {})

    def edges(self) -> Iterator[tuple[str, str, Path_]]:
        for a, after in self.succ.items():
            for b, path in after.items():
                yield a, b, path

    def is_acyclic(self) -> bool:
        indegree = dict.fromkeys(self.nodes, 0)
        for _, b, _ in self.edges():
            indegree[b] += 1
        ready = [n for n, d in indegree.items() if d == 0]
        seen = 0
        while ready:
            node = ready.pop()
            seen += 1
            for child in self.succ[node]:
                indegree[child] -= 1
                if indegree[child] == 0:
                    ready.append(child)
        return seen == len(self.nodes)

    def to_networkx(self) -> Any:
        """The same graph as a networkx ``DiGraph`` (for the authoring tools and the tests)."""
        import networkx as nx

        g = nx.DiGraph()
        g.add_nodes_from(self.nodes)
        for a, b, path in self.edges():
            g.add_edge(a, b, path=path)
        return g


def precedence_graph(plan: ResponsePlan) -> PrecedenceGraph:
    """Steps as nodes (in plan order); each edge keeps the document path that declared it."""
    g = PrecedenceGraph([s.id for s in plan.steps])
    known = set(g.nodes)

    def edge(a: str, b: str, path: Path_) -> None:
        if a in known and b in known:
            g.add_edge(a, b, path)

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


def find_cycle(g: PrecedenceGraph) -> tuple[list[str], Path_] | None:
    """A cycle as the steps around it, and the path of the edge declared last (which closed it)."""
    if g.is_acyclic():
        return None
    import networkx as nx  # a broken plan only: name the cycle as networkx walks it

    edges = nx.find_cycle(g.to_networkx())
    steps = [u for u, _ in edges] + [edges[0][0]]
    closing = max((g.succ[u][v] for u, v in edges), key=_declared)
    return steps, closing


def step_order(plan: ResponsePlan, g: PrecedenceGraph | None = None) -> dict[str, int]:
    """Each step's rank in a topological order (plan order among equals): ties on the
    plan's timeline play in this order, so evidence is preserved before containment."""
    g = g if g is not None else precedence_graph(plan)
    index = {s.id: i for i, s in enumerate(plan.steps)}
    indegree = dict.fromkeys(g.nodes, 0)
    for _, b, _ in g.edges():
        indegree[b] += 1
    ready = [(index[n], n) for n, d in indegree.items() if d == 0]
    heapq.heapify(ready)
    order: dict[str, int] = {}
    while ready:
        _, node = heapq.heappop(ready)
        order[node] = len(order)
        for child in g.succ[node]:
            indegree[child] -= 1
            if indegree[child] == 0:
                heapq.heappush(ready, (index[child], child))
    if len(order) != len(g.nodes):
        raise ValueError("the plan's precedence graph has a cycle; expected a checked plan")
    return order


def _generations(nodes: list[str], succ: dict[str, list[str]]) -> list[str]:
    """Nodes generation by generation (sources first), each in the order it became ready."""
    indegree = dict.fromkeys(nodes, 0)
    for n in nodes:
        for child in succ[n]:
            indegree[child] += 1
    generation = [n for n in nodes if indegree[n] == 0]
    out: list[str] = []
    while generation:
        out += generation
        ready = []
        for node in generation:
            for child in succ[node]:
                indegree[child] -= 1
                if indegree[child] == 0:
                    ready.append(child)
        generation = ready
    if len(out) != len(nodes):
        raise ValueError("the plan's precedence graph has a cycle; expected a checked plan")
    return out


def critical_path(
    plan: ResponsePlan, required: set[str], g: PrecedenceGraph | None = None
) -> list[str]:
    """The longest chain of required steps through the graph, in order.

    Steps that are not required (no rule applies to them at this severity) may link required
    ones but are left out of the answer; an edge counts 1 when it leads to a required step.
    A virtual start before every step lets the chain begin anywhere. Among chains of equal
    length the one networkx's ``dag_longest_path`` picks is picked: nodes are visited in
    its topological order and each takes the first best predecessor in plan order.
    """
    g = g if g is not None else precedence_graph(plan)
    start = "\x00start"
    nodes = [*g.nodes, start]
    succ = {n: list(g.succ[n]) for n in g.nodes}
    succ[start] = list(g.nodes)
    pred: dict[str, list[str]] = {n: [] for n in nodes}
    for n in nodes:  # predecessors in node order, the virtual start last
        for child in succ[n]:
            pred[child].append(n)
    dist: dict[str, tuple[int, str]] = {}
    for v in _generations(nodes, succ):
        w = 1 if v in required else 0
        best = (0, v)
        for i, u in enumerate(pred[v]):
            length = dist[u][0] + w
            if i == 0 or length > best[0]:
                best = (length, u)
        dist[v] = best if best[0] >= 0 else (0, v)
    v = max(dist, key=lambda n: dist[n][0])
    path: list[str] = []
    u = None
    while u != v:
        path.append(v)
        u, v = v, dist[v][1]
    path.reverse()
    return [n for n in path if n in required]

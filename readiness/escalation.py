"""Escalation paths as a graph, checked for dead ends.

A page that reaches a role with nowhere to go is how a night like the article's starts: the
on-call engineer escalates to a role nobody fills, or to a role that can only escalate back.
The paths are a networkx digraph over roles; every role in it must reach the Incident
Commander, and every role it escalates to must have people.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import networkx as nx

if TYPE_CHECKING:
    from drillbook.readiness.team import TeamModel

COMMANDER = "incident_commander"


def escalation_graph(team: TeamModel) -> nx.DiGraph:
    graph = nx.DiGraph()
    for role, targets in team.escalation.items():
        graph.add_node(role)
        for target in targets:
            graph.add_edge(role, target)
    return graph


def dead_ends(team: TeamModel) -> list[tuple[tuple[str | int, ...], str]]:
    """Problems with the escalation paths, each placed at the entry that causes it."""
    graph = escalation_graph(team)
    out: list[tuple[tuple[str | int, ...], str]] = []
    if not graph:
        return out
    for role, targets in team.escalation.items():
        for i, target in enumerate(targets):
            if target == role:
                out.append((("escalation", role, i), f"'{role}' escalates to itself"))
            elif not team.roles.get(target):
                out.append(
                    (
                        ("escalation", role, i),
                        f"'{role}' escalates to '{target}', which nobody fills",
                    )
                )
        if role != COMMANDER and not (COMMANDER in graph and nx.has_path(graph, role, COMMANDER)):
            out.append(
                (
                    ("escalation", role),
                    f"dead end: an escalation from '{role}' never reaches {COMMANDER}",
                )
            )
    return out

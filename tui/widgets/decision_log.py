"""Every decision as it is taken, with the scorer's verdict and how early or late it was.

Facilitator only. The verdicts are the scorer's (``Scorecard.decisions``), re-read after each
change — or, for a facilitator seated on a host, the host scorer's verdict frames; with no
scorer available the column says so rather than guessing.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from drillbook.scenarios.model import Scenario
from drillbook.tui.format import ROLE_SHORT, decision_words, offset_label, plain, verdict_text
from textual.widgets import DataTable

NO_SCORER = "(no scorer)"


class DecisionLog(DataTable[Any]):
    def on_mount(self) -> None:
        self.cursor_type = "row"
        self.zebra_stripes = True
        self.add_column("at", key="time")
        self.add_column("by", key="by", width=3)
        self.add_column("verdict", key="verdict")  # as wide as the rule met, or why none
        self.add_column("decision", key="decision")

    def add_decision(self, event: dict[str, Any], scored: bool, scenario: Scenario) -> None:
        self.add_row(
            plain(offset_label(event["sim"], scenario)),
            plain(ROLE_SHORT.get(event["role"], event["role"])),
            "…" if scored else NO_SCORER,
            plain(decision_words(scenario, event["action"], event.get("params", {}))),
            key=str(event["seq"]),
        )
        self.move_cursor(row=self.row_count - 1)

    def show_verdicts(self, scorecard: Any) -> None:
        """Fill the verdict column from a Scorecard (its ``decisions``, matched by seq)."""
        by_seq = {d.seq: d for d in scorecard.decisions}
        for row_key in list(self.rows):
            decision = by_seq.get(int(row_key.value or -1))
            text = verdict_text(decision.verdicts) if decision else "—"
            if decision is not None and decision.counted and not decision.verdicts:
                # a status update no rule asks for: say so instead of a bare dash
                text = f"counts for no rule of the plan{f' ({decision.why_not})' if decision.why_not else ''}"
            elif decision is not None and not decision.counted:
                text = f"nothing: {decision.why_not}"
            elif decision is not None and decision.why_not:
                text = f"{decision.why_not}; {text}"
            style = "bold red" if text.startswith(("nothing", "noise")) else _style(text)
            self.update_cell(row_key, "verdict", plain(text, style=style))

    def show_verdict_frames(self, verdicts: dict[int, dict[str, Any]]) -> None:
        """Fill the verdict column from the host's verdict frames (by seq), read as a card."""
        card = SimpleNamespace(
            decisions=[
                SimpleNamespace(
                    seq=seq,
                    counted=v["counted"],
                    why_not=v.get("why_not"),
                    verdicts=[SimpleNamespace(**x) for x in v["verdicts"]],
                )
                for seq, v in verdicts.items()
            ]
        )
        self.show_verdicts(card)


def _style(text: str) -> str:
    if text.startswith(("violated", "missed")):
        return "bold red"
    if text.startswith("late"):
        return "yellow"
    if text.startswith("met"):
        return "green"
    return ""

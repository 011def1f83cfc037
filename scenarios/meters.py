"""A scenario's meters: the quantities of the story world that move between events.

Tickets sold at $14, dollars lost, accounts exposed, trust: each grows (or, declared with a
floor, falls) at a rate that rules change when conditions start to hold, and is computed in
closed form by the engine (``simulator.meters``). This is the format; the arithmetic is there.
"""

# Annotations are evaluated as the classes are made (no ``from __future__ import annotations``):
# pydantic would otherwise compile and evaluate each field's annotation string, a quarter
# of making a model, and every command makes ~100 of them (see tests/test_model_annotations.py).
from typing import Literal

from drillbook.scenarios.base import _Model, _slug
from drillbook.scenarios.conditions import Condition
from pydantic import Field, field_validator, model_validator


class RateRule(_Model):
    """From the moment ``when`` holds, the meter accrues at ``rate`` per minute (last rule wins).

    A negative rate makes the meter fall (trust recovering, a queue draining); such a meter
    declares the ``min`` it cannot fall below."""

    when: Condition
    rate: float


class Derived(_Model):
    """A meter that is another meter times a factor (dollars lost = tickets × fare gap)."""

    of: str = Field(alias="from")
    factor: float


class Meter(_Model):
    """A quantity of the story world that grows between events, computed in closed form."""

    id: str
    label: str
    unit: str = ""
    format: Literal["count", "money", "percent", "number"] = "count"
    initial: float = 0
    rate: float = Field(0, description="Per minute, from the start; negative: it falls.")
    cap: float | None = Field(None, description="The meter never exceeds this.")
    min: float | None = Field(
        None, description="The meter never falls below this; required when a rate is negative."
    )
    rates: list[RateRule] = Field(default_factory=list)
    derived: Derived | None = None
    headline: bool = Field(
        False,
        description="The report leads with this meter (default: money first, else the first).",
    )
    _slug = field_validator("id")(_slug)

    @property
    def can_fall(self) -> bool:
        """Whether some rate of this base meter is negative (its value can go down)."""
        return self.rate < 0 or any(r.rate < 0 for r in self.rates)

    @model_validator(mode="after")
    def _derived_alone(self) -> "Meter":
        if self.derived and (
            self.rates or self.rate or self.cap is not None or self.min is not None
        ):
            raise ValueError("a derived meter takes no rate, rates, cap or min of its own")
        if self.can_fall and self.min is None:
            raise ValueError(
                f"meter '{self.id}' has a negative rate but no floor; expected 'min: …' "
                "(the lowest value it can fall to)"
            )
        if self.min is not None and self.initial < self.min:
            raise ValueError(
                f"meter '{self.id}' starts at {self.initial:g}, below its min {self.min:g}; "
                "expected initial ≥ min"
            )
        if self.min is not None and self.cap is not None and self.cap < self.min:
            raise ValueError(
                f"meter '{self.id}' has cap {self.cap:g} below its min {self.min:g}; "
                "expected min ≤ cap"
            )
        return self

"""What every drillbook model shares: frozen, no unknown fields, and ids that are slugs.

Kept apart from the scenario model so the truth, the scenario and the plan can all use it
without importing one another.
"""

# Annotations are evaluated as the classes are made (no ``from __future__ import annotations``):
# pydantic would otherwise compile and evaluate each field's annotation string, a quarter
# of making a model, and every command makes ~100 of them (see tests/test_model_annotations.py).
import re

from pydantic import BaseModel, ConfigDict

_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


class _Model(BaseModel):
    # Validators built on first use, not at import: a nested class's own validator is rarely
    # used (its parent's holds it), and building each at import was a visible share of start-up.
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, defer_build=True)


def check_id(v: str) -> str:
    """An id as every drillbook file writes them (scenarios, plans, clients): a slug."""
    if not _ID.match(v):
        raise ValueError(f"'{v}' is not an id; expected lower-case letters, digits, '-' or '_'")
    return v


_slug = check_id

"""A scenario's own roles are named by their own titles on every console, not by their ids."""

from __future__ import annotations

from drillbook.scenarios import library, load
from drillbook.scenarios.model import RoleInPlay
from drillbook.tui.format import role_title, seat_label

FLAGSHIP = load(library.resolve(library.FLAGSHIP)).scenario


def test_a_role_of_the_scenarios_own_shows_its_title() -> None:
    own = RoleInPlay(id="government_affairs", title="Government affairs", duties=["legal_advisor"])
    scenario = FLAGSHIP.model_copy(update={"roles": [*FLAGSHIP.roles, own]})
    assert role_title("government_affairs", scenario) == "Government affairs"
    assert seat_label("government_affairs", {"government_affairs": "Sam"}, scenario) == (
        "Government affairs (Sam)"
    )
    assert role_title("incident_commander", scenario) == "Incident Commander"  # the article's
    assert role_title("facilitator", scenario) == "Facilitator"

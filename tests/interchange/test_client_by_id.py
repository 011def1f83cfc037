"""A copied bundled scenario finds its client profile by id as well as by path (issue 16, 6)."""

from __future__ import annotations

from pathlib import Path

import pytest
from drillbook.formats.yamlsource import InputError
from drillbook.scenarios import library
from drillbook.scenarios.loader import load
from drillbook.scoring.files import scenario_client
from drillbook.scoring.plan import default_plan

FLAGSHIP_CLIENT = "client: clients/skylark-regional.yaml"


def _copy(tmp_path: Path, client_line: str) -> Path:
    text = library.resolve(library.FLAGSHIP).read_text(encoding="utf-8")
    assert FLAGSHIP_CLIENT in text
    path = tmp_path / "mine.yaml"
    path.write_text(text.replace(FLAGSHIP_CLIENT, client_line), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "client_line",
    [FLAGSHIP_CLIENT, "client: skylark-regional", "client: skylark-regional.yaml"],
)
def test_a_copy_without_the_clients_folder_uses_the_bundled_profile(tmp_path, client_line):
    path = _copy(tmp_path, client_line)
    loaded = load(path)
    profile = scenario_client(path, loaded.scenario, default_plan())
    assert profile is not None
    assert profile.id == "skylark-regional"


def test_a_profile_beside_the_copy_wins_over_the_bundled_one(tmp_path):
    path = _copy(tmp_path, "client: skylark-regional.yaml")
    bundled = (library.CLIENTS_DIR / "skylark-regional.yaml").read_text(encoding="utf-8")
    (tmp_path / "skylark-regional.yaml").write_text(
        bundled.replace("id: skylark-regional", "id: skylark-local"), encoding="utf-8"
    )
    loaded = load(path)
    profile = scenario_client(path, loaded.scenario, default_plan())
    assert profile is not None and profile.id == "skylark-local"


@pytest.mark.parametrize(
    "name", ["nobody", "../clients/skylark-regional.yaml", "x/skylark-regional"]
)
def test_an_unknown_id_or_a_path_elsewhere_is_placed_with_the_ids_that_exist(tmp_path, name):
    path = _copy(tmp_path, f"client: {name}")
    with pytest.raises(InputError) as exc:
        load(path)
    [problem] = exc.value.problems
    assert problem.file == str(path) and problem.line > 1
    assert problem.message.startswith(f"client profile '{name}' not found")
    assert "skylark-regional" in problem.message

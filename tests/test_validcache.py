"""Validated models kept between processes (formats.validcache): reused only when nothing
they depend on changed, never for a file with problems, and any bad entry means validating."""

from __future__ import annotations

from pathlib import Path

import pytest
from drillbook.formats import validcache
from drillbook.formats.validation import validate
from drillbook.formats.yamlsource import InputError, parse_bytes, read
from drillbook.scenarios import library, loader
from drillbook.scenarios.loader import load
from drillbook.scenarios.model import Scenario
from drillbook.scoring.plan import DEFAULT_PLAN_PATH, ResponsePlan, load_plan


@pytest.fixture(autouse=True)
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache" / "drillbook" / "validated"


def _no_validation(monkeypatch: pytest.MonkeyPatch, model: type) -> None:
    def refuse(*args: object, **kwargs: object) -> object:
        raise AssertionError("validated again")

    monkeypatch.setattr(model, "model_validate", refuse)


def test_a_file_validated_once_is_unpickled_the_next_time(
    monkeypatch: pytest.MonkeyPatch, cache_home: Path
) -> None:
    flagship = library.resolve(library.FLAGSHIP)
    first = validate(Scenario, read(flagship), reuse=True)
    assert len(list(cache_home.glob("*.pickle"))) == 1
    _no_validation(monkeypatch, Scenario)
    again = validate(Scenario, read(flagship), reuse=True)
    assert again == first and again is not first
    assert again.model_dump() == first.model_dump()


def test_the_plan_and_the_scenario_load_the_same_from_an_entry(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    flagship = library.resolve(library.FLAGSHIP)
    plan = load_plan(DEFAULT_PLAN_PATH)
    validate(Scenario, read(flagship), reuse=True)
    _no_validation(monkeypatch, ResponsePlan)
    _no_validation(monkeypatch, Scenario)
    assert load_plan(DEFAULT_PLAN_PATH) == plan
    monkeypatch.setattr(loader, "_LOADED", {})  # not this process's own memo of loads
    assert load(flagship).scenario.id == library.FLAGSHIP


def test_another_install_keeps_its_own_entries(
    monkeypatch: pytest.MonkeyPatch, cache_home: Path
) -> None:
    """Two checkouts (or environments) side by side neither reuse nor overwrite each
    other's entries: each would otherwise miss on every run the other made."""
    flagship = library.resolve(library.FLAGSHIP)
    validate(Scenario, read(flagship), reuse=True)
    monkeypatch.setattr(validcache, "_INSTALL", "/elsewhere/drillbook")
    validate(Scenario, read(flagship), reuse=True)
    assert len(list(cache_home.glob("*.pickle"))) == 2


def test_a_changed_module_means_validating_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    flagship = library.resolve(library.FLAGSHIP)
    validate(Scenario, read(flagship), reuse=True)
    real = validcache._stat
    edited = {p for p in validcache._own_sources() if p.endswith("scenarios/model.py")}
    assert edited

    def stat(path: str) -> list[int] | None:
        size_mtime = real(path)
        return [0, 0] if path in edited else size_mtime

    monkeypatch.setattr(validcache, "_stat", stat)
    calls = []
    original = Scenario.model_validate

    def counted(*args: object, **kwargs: object) -> Scenario:
        calls.append(1)
        return original(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Scenario, "model_validate", counted)
    validate(Scenario, read(flagship), reuse=True)
    assert calls == [1]


def test_a_file_with_problems_is_never_kept(tmp_path: Path, cache_home: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\n", encoding="utf-8")
    for _ in range(2):  # the same placed problem both times: nothing was kept
        with pytest.raises(InputError) as exc:
            validate(ResponsePlan, read(bad), reuse=True)
        assert str(bad) in str(exc.value.problems[0])
    assert not list(cache_home.glob("*.pickle"))


def test_a_damaged_entry_means_validating(cache_home: Path) -> None:
    doc = read(DEFAULT_PLAN_PATH)
    plan = validate(ResponsePlan, doc, reuse=True)
    for entry in cache_home.glob("*.pickle"):
        entry.write_bytes(entry.read_bytes()[:-40])
    assert validate(ResponsePlan, read(DEFAULT_PLAN_PATH), reuse=True) == plan
    for entry in cache_home.glob("*.pickle"):
        entry.write_bytes(b"not json\n")
    assert validate(ResponsePlan, read(DEFAULT_PLAN_PATH), reuse=True) == plan


def test_nothing_is_kept_without_reuse_or_for_text_from_memory(cache_home: Path) -> None:
    text = Path(DEFAULT_PLAN_PATH).read_bytes()
    validate(ResponsePlan, read(DEFAULT_PLAN_PATH))
    in_memory = parse_bytes(text, "plan.yaml")
    in_memory.sha256 = ""
    validate(ResponsePlan, in_memory, reuse=True)
    assert not list(cache_home.glob("*.pickle"))


def test_an_unwritable_cache_folder_is_no_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))  # a plain file: no folder under it
    plan = validate(ResponsePlan, read(DEFAULT_PLAN_PATH), reuse=True)
    assert validate(ResponsePlan, read(DEFAULT_PLAN_PATH), reuse=True) == plan


def test_a_document_read_once_is_unpickled_with_its_positions(
    monkeypatch: pytest.MonkeyPatch, cache_home: Path
) -> None:
    from drillbook.formats import yamlsource

    first = read(DEFAULT_PLAN_PATH, reuse=True)
    where = first.positions.of(("rules",))

    def refuse(*args: object, **kwargs: object) -> object:
        raise AssertionError("parsed again")

    monkeypatch.setattr(yamlsource, "parse", refuse)
    again = read(DEFAULT_PLAN_PATH, reuse=True)
    assert again.data == first.data and again.sha256 == first.sha256
    assert again.positions.of(("rules",)) == where and again.file == first.file


def test_a_document_is_kept_under_its_own_file_name(tmp_path: Path) -> None:
    text = Path(DEFAULT_PLAN_PATH).read_bytes()
    for name in ("a.yaml", "b.yaml"):
        (tmp_path / name).write_bytes(text)
        read(tmp_path / name, reuse=True)
    again = read(tmp_path / "b.yaml", reuse=True)
    assert again.file == str(tmp_path / "b.yaml")


def test_a_bad_document_is_never_kept(tmp_path: Path, cache_home: Path) -> None:
    bad = tmp_path / "dup.yaml"
    bad.write_text("a: 1\na: 2\n", encoding="utf-8")
    for _ in range(2):
        with pytest.raises(InputError) as exc:
            read(bad, reuse=True)
        assert "dup.yaml:2" in str(exc.value.problems[0])
    assert not list(cache_home.glob("*.pickle"))


def test_the_folder_keeps_at_most_its_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cache_home: Path
) -> None:
    monkeypatch.setattr(validcache, "MAX_ENTRIES", 4)
    for i in range(7):
        doc = tmp_path / f"f{i}.yaml"
        doc.write_text(f"n: {i}\n", encoding="utf-8")
        read(doc, reuse=True)
        assert len(list(cache_home.glob("*.pickle"))) <= 4
    assert read(tmp_path / "f6.yaml", reuse=True).data == {"n": 6}

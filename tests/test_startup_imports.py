"""Each command imports only what it needs (issue 14): checked in a fresh interpreter.

A quick command must not pay for the scenario models, and the run/score path must not pay
for networkx (the plan's graph is walked by hand; networkx stays for lint and graph). Each
case runs ``drillbook.cli.main`` in a child process and lists the modules it left loaded.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

PROBE = """
import contextlib, io, json, sys
from drillbook.cli import main
with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
    code = main(sys.argv[1:])
print(json.dumps({"code": code, "modules": sorted(sys.modules)}))
"""


def loaded_by(*argv: str) -> set[str]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *argv], capture_output=True, text=True, check=True
    )
    result = json.loads(done.stdout.splitlines()[-1])
    assert result["code"] == 0, done.stderr
    return set(result["modules"])


def top(modules: set[str]) -> set[str]:
    return {m.split(".")[0] for m in modules}


def test_help_imports_neither_yaml_nor_pydantic_nor_the_models() -> None:
    modules = loaded_by("--help")
    # (pydantic.plugin._loader is drillbook's own stand-in, see drillbook.startup)
    assert not modules & {"yaml", "pydantic", "networkx", "simpy", "jinja2", "textual"}
    assert "drillbook.scenarios.model" not in modules


def test_the_scenarios_package_loads_its_names_on_first_use() -> None:
    code = (
        "import sys, drillbook.scenarios as s, drillbook.scoring as c;"
        "assert 'drillbook.scenarios.model' not in sys.modules;"
        "assert 'drillbook.scoring.scorer' not in sys.modules;"
        "from drillbook.scenarios import load, Scenario; from drillbook.scoring import score;"
        "assert s.Scenario is sys.modules['drillbook.scenarios.model'].Scenario;"
        "assert callable(load) and callable(score)"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
    with pytest.raises(AttributeError):
        import drillbook.scenarios

        _ = drillbook.scenarios.no_such_name


def test_run_and_score_do_not_import_networkx(tmp_path: Path) -> None:
    journal = tmp_path / "run.jsonl"
    assert "networkx" not in top(loaded_by("run", "-j", str(journal)))
    assert "networkx" not in top(loaded_by("score", str(journal)))


def test_run_and_score_do_not_import_importlib_metadata(tmp_path: Path) -> None:
    """SimPy asks it for its own version (see ``simulator.sim``); the bundled data is found
    without ``importlib.resources`` (``tempfile``, ``zipfile``)."""
    journal = tmp_path / "run.jsonl"
    for argv in (("run", "-j", str(journal)), ("score", str(journal))):
        modules = loaded_by(*argv)
        assert "simpy" in modules
        assert not modules & {"importlib.metadata", "zipfile", "importlib.resources"}, argv


def test_simpy_knows_its_version_and_the_real_metadata_module_comes_back() -> None:
    code = (
        "import sys, importlib;"
        "from drillbook.simulator.sim import simpy;"
        "assert 'importlib.metadata' not in sys.modules and not hasattr(importlib, 'metadata');"
        "import importlib.metadata as m;"
        "assert simpy.__version__ == m.version('simpy');"
        "assert m.entry_points is not None and sys.modules['importlib.metadata'] is m"
    )
    env = {**os.environ, "PYDANTIC_DISABLE_PLUGINS": "__all__"}
    subprocess.run([sys.executable, "-c", code], check=True, env=env)


def test_quick_commands_run_without_the_cyclic_collector_and_play_keeps_it() -> None:
    import gc

    from drillbook.cli import _tune_collector

    was, threshold = gc.isenabled(), gc.get_threshold()
    try:
        _tune_collector(["run"])
        assert not gc.isenabled()
        gc.enable()
        _tune_collector(["play"])
        assert gc.isenabled() and gc.get_threshold()[0] == 50_000
    finally:
        gc.set_threshold(*threshold)
        (gc.enable if was else gc.disable)()


SHORT_PROCESS = """
import gc, sys
from drillbook import cli
sys.argv = ["drillbook", *sys.argv[1:]]
code = cli.main()
print(gc.get_freeze_count() > 0, gc.isenabled())
"""


def test_a_short_commands_process_skips_the_exit_collection_and_a_caller_keeps_its_own(
    tmp_path: Path,
) -> None:
    """A command in a process of its own freezes what it made before the interpreter's final
    collection, a quick one (collector off) and a long-running one (on) alike; a journal it
    wrote is complete all the same. ``main(argv)`` from a caller (tests, benches) leaves the
    caller's collector alone."""
    import gc

    from drillbook.simulator.journal import read_journal

    from drillbook.cli import main

    journal = tmp_path / "run.jsonl"
    done = subprocess.run(
        [sys.executable, "-c", SHORT_PROCESS, "run", "-j", str(journal)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.splitlines()[-1] == "True False"
    assert read_journal(journal).events  # written, closed and readable
    done = subprocess.run(
        [sys.executable, "-c", SHORT_PROCESS, "simulate", "--help"], capture_output=True, text=True
    )
    assert done.stdout.splitlines()[-1] == "True True"
    frozen = gc.get_freeze_count()
    assert main(["validate", "airline-pricing-0347"]) == 0
    assert gc.get_freeze_count() == frozen


def test_run_and_score_do_not_import_the_report_records(tmp_path: Path) -> None:
    """Their headline sentence chooses its meters in ``reports.headline``, not ``reports.aar``."""
    journal = tmp_path / "run.jsonl"
    for argv in (("run", "-j", str(journal)), ("score", str(journal))):
        modules = loaded_by(*argv)
        assert "drillbook.reports.headline" in modules, argv
        assert not modules & {"drillbook.reports.aar", "drillbook.reports.records", "jinja2"}, argv


QUICK_FACTORIES = """
import sys
from drillbook.startup import quick_default_factories
quick_default_factories()
assert "pydantic" not in sys.modules  # nothing is imported for it before pydantic is needed
from pydantic import BaseModel, Field
from pydantic._internal import _fields, _generate_schema
quick = _fields.takes_validated_data_argument
assert _generate_schema.takes_validated_data_argument is quick
for factory in (list, dict, set, frozenset, tuple, lambda: [], lambda data: data["a"]):
    assert quick(factory) == quick.__wrapped__(factory), factory
class M(BaseModel):
    a: list[int] = Field(default_factory=list)
    b: list[int] = Field(default_factory=lambda data: list(data["a"]))
assert M(a=[1]).b == [1] and M().a == []
"""


def test_default_factories_answer_as_pydantic_would() -> None:
    subprocess.run([sys.executable, "-c", QUICK_FACTORIES], check=True)


def test_default_factories_after_pydantic_has_loaded() -> None:
    code = "import pydantic.fields\n" + QUICK_FACTORIES.replace(
        'assert "pydantic" not in sys.modules', "pass"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_validate_leaves_shutil_unloaded_and_help_as_wide_as_shutil_says(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """argparse would import ``shutil`` (with ``bz2``, ``lzma``) for the terminal width."""
    import shutil

    from drillbook.scenarios import library

    from drillbook.cli import _terminal_columns

    flagship = str(library.resolve(library.FLAGSHIP))
    assert not loaded_by("validate", flagship) & {"shutil", "bz2", "lzma"}
    for columns in ("57", "0", "wide", None):
        if columns is None:
            monkeypatch.delenv("COLUMNS", raising=False)
        else:
            monkeypatch.setenv("COLUMNS", columns)
        assert _terminal_columns() == shutil.get_terminal_size().columns, columns


def test_validate_checks_actions_by_the_vocabulary_without_building_their_models() -> None:
    """A scenario names actions but never validates one: ``scenarios.vocabulary`` is enough."""
    from drillbook.scenarios import library

    modules = loaded_by("validate", str(library.resolve(library.FLAGSHIP)))
    assert "drillbook.scenarios.vocabulary" in modules
    assert "drillbook.scenarios.actions" not in modules
    # ``list`` reads the register too: its roles and incident types are the vocabulary's
    assert "drillbook.scenarios.actions" not in loaded_by("list")


def test_validate_of_a_file_validated_before_does_not_import_pyyaml(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first validation composes the YAML; a second one of the same bytes recalls the
    models from the cache and leaves PyYAML unimported (it was ~10 ms of ``validate``)."""
    from drillbook.scenarios import library

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    flagship = str(library.resolve(library.FLAGSHIP))
    assert "yaml" in loaded_by("validate", flagship)  # cold: composed and validated
    modules = loaded_by("validate", flagship)
    assert "yaml" not in modules and "drillbook.formats.yamlcompose" not in modules


def test_the_cache_knows_pyyaml_by_its_installed_file_without_importing_it() -> None:
    """An entry is keyed by the installed PyYAML: its ``__init__.py``'s path, size and mtime,
    which any (re)install writes anew; the key is the same whether or not yaml is loaded."""
    code = (
        "import sys; from drillbook.formats import validcache as v; key = v._pyyaml();"
        "assert 'yaml' not in sys.modules; import os, yaml; st = os.stat(yaml.__file__);"
        "assert key == f'{yaml.__file__}:{st.st_size}:{st.st_mtime_ns}', key;"
        "assert v._pyyaml() == key"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


FIRST_FRAME = """
import asyncio, json, sys
from drillbook.tui.app import DrillbookApp

def first_frame(self, **kwargs):
    async def main():
        async with self.run_test() as pilot:
            await pilot.pause()
    asyncio.run(main())

DrillbookApp.run = first_frame
from drillbook.cli import main
code = main(["play", "--journal", sys.argv[1]])
print(json.dumps({"code": code, "modules": sorted(sys.modules)}))
"""


def test_plays_first_frame_waits_for_neither_the_engine_nor_the_commands(tmp_path: Path) -> None:
    """The setup screen needs the scenario, not what plays it: the engine behind a Session,
    the typed commands, the action contract and the notes widget are imported when play
    begins (issue 14: the first frame within 1.5× of a minimal Textual app)."""
    done = subprocess.run(
        [sys.executable, "-c", FIRST_FRAME, str(tmp_path / "run.jsonl")],
        capture_output=True,
        text=True,
        check=True,
    )
    result = json.loads(done.stdout.splitlines()[-1])
    assert result["code"] == 0, done.stderr
    modules = set(result["modules"])
    assert "drillbook.tui.setup_screen" in modules  # the frame was drawn
    assert not modules & {
        "drillbook.simulator.engine",
        "drillbook.simulator.session",
        "drillbook.simulator.commands",
        "drillbook.scenarios.actions",
        "textual.widgets._text_area",
    }

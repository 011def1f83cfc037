"""The layers of docs/architecture.md hold, and break the build when an import crosses them.

import-linter (grimp) reads a package from the one folder it is installed in, while the
repository keeps each layer in a folder of its own at the root (pyproject's ``package-dir``).
So the contracts run over a mirror of the installed layout: each mapped folder copied where
``pip install .`` would put it. The contracts themselves are in ``pyproject.toml``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def installed_layout(target: Path) -> Path:
    """Copy the mapped folders as ``drillbook/…`` under ``target``; returns ``target``."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    mapping: dict[str, str] = config["tool"]["setuptools"]["package-dir"]
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "__snapshots__")
    for package, folder in sorted(mapping.items()):  # parents before children
        dest = target.joinpath(*package.split("."))
        shutil.copytree(ROOT / folder, dest, ignore=ignore, dirs_exist_ok=True)
    shutil.copy(ROOT / "pyproject.toml", target / "pyproject.toml")
    return target


def lint_imports(tree: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],  # reads the mirror's pyproject.toml
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return installed_layout(tmp_path_factory.mktemp("installed"))


def test_every_contract_holds(tree: Path) -> None:
    result = lint_imports(tree)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "forbidden"),
    [
        ("formats/errors.py", "import drillbook.scenarios.model"),  # the kernel is the ground
        ("simulator/journal.py", "import drillbook.scoring.scorer"),  # no scorer in the engine
        ("simulator/session.py", "import drillbook.cli"),  # nor the CLI
        ("scoring/rules.py", "import textual"),  # Textual stays in tui
        ("tui/widgets/clock_bar.py", "import drillbook.simulator.engine"),  # the session only
    ],
)
def test_a_forbidden_import_breaks_the_build(
    tree: Path, tmp_path: Path, module: str, forbidden: str
) -> None:
    broken = installed_layout(tmp_path / "broken")
    target = broken / "drillbook" / module
    target.write_text(target.read_text(encoding="utf-8") + f"\n{forbidden}  # noqa\n")
    result = lint_imports(broken)
    assert result.returncode != 0
    assert "BROKEN" in result.stdout

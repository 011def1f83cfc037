"""Start-up cost: ``drillbook validate FLAGSHIP`` as a whole process against the bare imports.

The baseline is ``python -c "import yaml, pydantic"``: what any YAML-plus-pydantic tool pays
before doing anything. Both are run as subprocesses, alternately, and the medians compared.
Target: validate costs at most 2× the bare imports. For context it also times
``from pydantic import BaseModel``, which ``import pydantic`` alone does not load (pydantic
imports its parts lazily) but which any model-based validation needs.

Byte-code is cached in a temporary folder for every child, as on a person's machine, even
where the environment sets ``PYTHONDONTWRITEBYTECODE`` (this one does): otherwise drillbook's
own modules would be compiled from source at every start and the baseline's would not.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from drillbook.scenarios import library

TARGET = 2.0


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def start_ms(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU (user + system) milliseconds of one process start."""
    cpu, start = _children_cpu(), time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    return (time.perf_counter() - start) * 1000, (_children_cpu() - cpu) * 1000


def drillbook_command() -> list[str]:
    """The installed console script beside this Python, as a person would run it."""
    script = Path(sys.executable).parent / "drillbook"
    return [str(script)] if script.exists() else [sys.executable, "-m", "drillbook"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9, help="process starts of each (median)")
    args = parser.parse_args()

    flagship = str(library.resolve(library.FLAGSHIP))
    commands = {
        "drillbook validate flagship": [*drillbook_command(), "validate", flagship],
        "python -c 'import yaml, pydantic'": [sys.executable, "-c", "import yaml, pydantic"],
        "… and pydantic.BaseModel": [
            sys.executable,
            "-c",
            "import yaml; from pydantic import BaseModel",
        ],
    }
    with tempfile.TemporaryDirectory() as cache:
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env["PYTHONPYCACHEPREFIX"] = cache
        for cmd in commands.values():  # warm up: byte-code and file caches
            start_ms(cmd, env)
        walls: dict[str, list[float]] = {name: [] for name in commands}
        cpus: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(args.runs):
            for name, cmd in commands.items():
                wall, cpu = start_ms(cmd, env)
                walls[name].append(wall)
                cpus[name].append(cpu)
    wall = {name: statistics.median(t) for name, t in walls.items()}
    cpu = {name: statistics.median(t) for name, t in cpus.items()}
    (validate, bare, models) = commands
    ratio = wall[validate] / wall[bare]
    verdict = "met" if ratio <= TARGET else "MISSED"
    print(f"validate: whole-process time, median of {args.runs} starts each (wall / CPU)")
    for name in commands:
        print(f"  {name:<36} {wall[name]:7.1f} ms  / {cpu[name]:6.1f} ms")
    print(
        f"  ratio to the bare imports            {ratio:7.1f} ×  / {cpu[validate] / cpu[bare]:6.1f} ×"
        f"   target ≤ {TARGET:g}× — {verdict}"
    )
    print(
        f"  ratio to yaml + pydantic.BaseModel   {wall[validate] / wall[models]:7.1f} ×"
        f"  / {cpu[validate] / cpu[models]:6.1f} ×"
    )


if __name__ == "__main__":
    main()

"""Regenerate golden files: ``python -m tests.golden.regen [journals|scorecards|all]``.

Default: scorecards only (they follow deliberate scoring changes). Regenerate journals only
when the engine's output is meant to change, and say so in the commit message.
"""

from __future__ import annotations

import sys

from tests.golden.goldens import ROOT, regenerate


def main(argv: list[str]) -> int:
    which = argv[0] if argv else "scorecards"
    kinds = {"all": {"journals", "scorecards"}}.get(which, {which})
    if not kinds <= {"journals", "scorecards"}:
        print(f"unknown kind '{which}'; expected journals, scorecards or all", file=sys.stderr)
        return 2
    for path in regenerate(kinds):
        print(path.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

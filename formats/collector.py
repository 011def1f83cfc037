"""Pausing CPython's cyclic garbage collector around bulk work that builds long-lived data.

Loading a big file or playing a long run allocates hundreds of thousands of objects that all
stay alive. Each time enough of them pile up, the collector's full pass rescans every one —
again and again as the heap grows, which made loading and playing superlinear (a 5,000 →
50,000-entry transcript took half as long again per entry). Such work creates no reference
cycles worth collecting there and then; objects that die go by reference counting, and the
collector resumes, and catches up on anything left, when the work is done.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Hold the cyclic collector for the block; leave it as it was found (even on error)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()

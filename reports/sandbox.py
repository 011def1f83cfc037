"""A user's ``--template`` rendered in a sandbox that also bounds what it may cost.

Jinja2's sandbox stops a template reaching Python's internals, not from asking for more than
the machine has: ``{{ "x" * 10**10 }}`` and ``{{ [1] * 10**9 }}`` each grew past 8 GB, and two
nested ``range(100000)`` loops ran for hours, all without an answer. Here the operators that
make values grow (``*`` and ``**``) refuse a result beyond :data:`MAX_OUTPUT` characters (or
bits), the rendered text stops at :data:`MAX_OUTPUT`, and the render has a budget of CPU
time (``$DRILLBOOK_TEMPLATE_SECONDS``, default 30) for what no single operator shows, such as
the nested loops. Each ends in one line naming the template.
"""

from __future__ import annotations

import math
import os
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from jinja2.runtime import Context
from jinja2.sandbox import ImmutableSandboxedEnvironment

MAX_OUTPUT = 50_000_000  # characters of a rendered report (the real ones are < 1 MB)
SECONDS_ENV = "DRILLBOOK_TEMPLATE_SECONDS"
DEFAULT_SECONDS = 30.0


class TemplateTooCostly(BaseException):
    """The template asked for more than a report needs; the message says what. A
    BaseException, as KeyboardInterrupt is: raised from a signal in the middle of Jinja2's
    own code, an ``except Exception`` there must not swallow it and render on."""


class BoundedSandbox(ImmutableSandboxedEnvironment):
    """The immutable sandbox with ``*`` and ``**`` refusing results a report cannot need."""

    intercepted_binops = frozenset({"*", "**"})

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        if operator == "*":
            _check_repeat(left, right)
            _check_repeat(right, left)
        elif operator == "**":
            _check_power(left, right)
        return super().call_binop(context, operator, left, right)


def _check_repeat(seq: Any, times: Any) -> None:
    sequence = isinstance(seq, str | bytes | list | tuple) and isinstance(times, int)
    if sequence and len(seq) * times > MAX_OUTPUT:
        raise TemplateTooCostly(
            f"a repetition of {len(seq):,} × {times:,} items; expected at most "
            f"{MAX_OUTPUT:,} in all"
        )


def _check_power(base: Any, exponent: Any) -> None:
    whole = isinstance(base, int) and isinstance(exponent, int) and abs(base) > 1
    if whole and exponent > 0 and exponent * math.log2(abs(base)) > MAX_OUTPUT:
        raise TemplateTooCostly(
            f"{base} ** {exponent} has more than {MAX_OUTPUT:,} bits; expected a number "
            "a report prints"
        )


def render_bounded(chunks: Iterator[str]) -> str:
    """The template's output, joined while it stays within :data:`MAX_OUTPUT` characters."""
    out: list[str] = []
    size = 0
    with _cpu_budget():
        for chunk in chunks:
            size += len(chunk)
            if size > MAX_OUTPUT:
                raise TemplateTooCostly(
                    f"renders more than {MAX_OUTPUT:,} characters; expected a report"
                )
            out.append(chunk)
    return "".join(out)


def _seconds() -> float:
    try:
        value = float(os.environ.get(SECONDS_ENV, DEFAULT_SECONDS))
    except ValueError:
        return DEFAULT_SECONDS
    return value if math.isfinite(value) and value > 0 else DEFAULT_SECONDS


@contextmanager
def _cpu_budget() -> Iterator[None]:
    """Stop the render after its CPU budget (process CPU time, not the wall clock: a busy
    machine does not cut a template short). Only the main thread can take a signal; a render
    elsewhere runs without the budget, bounded by the operators and the output size."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(
        signal, "setitimer"
    ):
        yield
        return
    seconds = _seconds()

    def stop(signum: int, frame: Any) -> None:
        raise TemplateTooCostly(
            f"still rendering after {seconds:g} s of CPU time; expected a template that "
            f"renders a report (${SECONDS_ENV} raises the budget)"
        )

    before = signal.signal(signal.SIGPROF, stop)
    signal.setitimer(signal.ITIMER_PROF, seconds, 1.0)  # and again each second, if caught
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, before)

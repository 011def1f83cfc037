"""A console whose terminal closes quits instead of spinning on a dead terminal."""

from __future__ import annotations

import os
import pty

from drillbook.tui.hangup import terminal_gone


def test_a_closed_pseudo_terminal_is_seen_as_gone() -> None:
    parent, child = pty.openpty()
    try:
        assert not terminal_gone(child)
        os.close(parent)  # the terminal window closes: the pty's name goes with it
        assert terminal_gone(child)
    finally:
        os.close(child)


def test_a_dead_descriptor_is_gone_too() -> None:
    r, w = os.pipe()
    os.close(r)
    os.close(w)
    assert terminal_gone(r)

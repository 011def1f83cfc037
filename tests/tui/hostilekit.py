"""A hostile scenario: the flagship with markup, a terminal escape and a script tag in every
text field a person reads — and ways to check what the TUI then puts on screen.

The payload is what the issue's attacker tried: ``[/i]`` and ``[bold]`` (Rich/Textual
markup: a stray closing tag crashed play, an opening one swallowed text), ``ESC ] 0 ; … BEL``
(an OSC sequence that retitled the terminal) and ``<script>`` (for the HTML report). Every
one of them must come out as the characters it is made of.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import yaml
from drillbook.scenarios import library
from drillbook.scenarios.loader import LoadedScenario, load
from drillbook.tui.format import clean
from rich.console import Console

OSC = "\x1b]0;PWNED\x07"
HOSTILE = f"[/i] [bold] {OSC} <script>alert(1)</script> [x]"
SCRIPT = "<script>alert(1)</script>"
# What the screen shows where the payload was: the markup as typed, the escape as pictures.
OSC_SHOWN = "␛]0;PWNED␇"


def _h(text: Any) -> str:
    return f"{text} {HOSTILE}"


def _scenario(doc: dict[str, Any]) -> dict[str, Any]:
    doc["title"], doc["summary"] = _h(doc["title"]), _h(doc["summary"])
    for role in doc["roles"]:
        role["brief"] = _h(role.get("brief", ""))
    for phase in doc.get("phases", []):
        phase["title"], phase["description"] = _h(phase["title"]), _h(phase.get("description"))
    for objective in doc.get("objectives", []):
        objective["text"] = _h(objective["text"])
    for meter in doc["meters"]:
        meter["label"] = _h(meter["label"])
        meter["unit"] = _h(meter.get("unit", ""))
    for source in doc["sources"]:
        for key in ("title", "shows", "refusal"):
            source[key] = _h(source.get(key, "You cannot reach this source."))
    for inject in doc["injects"]:
        for key in ("title", "body", "sender"):
            inject[key] = _h(inject.get(key, ""))
        for attachment in inject.get("attachments", []):
            attachment["title"] = _h(attachment["title"])
            attachment["columns"] = [_h(c) for c in attachment["columns"]]
            attachment["rows"] = [
                [_h(c) if isinstance(c, str) else c for c in row] for row in attachment["rows"]
            ]
        question = inject.get("question")
        if question:
            question["prompt"] = _h(question["prompt"])
            for option in question["options"]:
                option["label"] = _h(option["label"])
    truth = doc["truth"]
    for cause in truth["causes"]:
        cause["label"] = _h(cause["label"])
    for obligation in truth["obligations"]:
        obligation["regime"] = _h(obligation["regime"])
        obligation["description"] = _h(obligation.get("description", ""))
    doc["discussion"] = [_h(q) for q in doc["discussion"]]
    based_on = doc.get("based_on")
    if based_on:
        for key in ("title", "summary", "reference"):
            based_on[key] = _h(based_on.get(key, ""))
    return doc


def _client(doc: dict[str, Any]) -> dict[str, Any]:
    for key in ("name", "summary", "rollback", "reporting"):
        doc[key] = _h(doc.get(key, ""))
    for contact in doc.get("contacts", []):
        for key in ("role", "name", "channel", "hours"):
            contact[key] = _h(contact.get(key, ""))
    doc["severity_criteria"] = {
        level: [_h(c) for c in criteria] for level, criteria in doc["severity_criteria"].items()
    }
    for sla in doc.get("sla", []):
        sla["name"], sla["text"] = _h(sla["name"]), _h(sla.get("text", ""))
    for obligation in doc.get("obligations", []):
        obligation["regime"] = _h(obligation["regime"])
        obligation["description"] = _h(obligation.get("description", ""))
    return doc


def write_hostile(folder: Path) -> Path:
    """Write ``hostile.yaml`` and its client profile into ``folder``; the scenario's path.

    YAML cannot hold a raw ESC, so the dump writes it as ``"\\e"`` — exactly what an attacker
    would type, and what the loader turns back into the control character.
    """
    flagship = library.resolve(library.FLAGSHIP)
    doc = _scenario(yaml.safe_load(flagship.read_text(encoding="utf-8")))
    client = _client(yaml.safe_load((flagship.parent / doc["client"]).read_text(encoding="utf-8")))
    doc["client"] = "hostile-client.yaml"
    dump = {"sort_keys": False, "allow_unicode": True, "width": 10_000}
    (folder / "hostile-client.yaml").write_text(yaml.safe_dump(client, **dump), encoding="utf-8")
    path = folder / "hostile.yaml"
    path.write_text(yaml.safe_dump(doc, **dump), encoding="utf-8")
    return path


def load_hostile(folder: Path) -> LoadedScenario:
    return load(write_hostile(folder))


def as_loaded(loaded: LoadedScenario) -> tuple[str, str]:
    """The payload as the screen shows it where it came from the scenario file — whatever the
    loader kept of it, cleaned — whole, and up to its script tag (long lines wrap there).

    The TUI promises to show text as data, not what the loader does first (it may strip
    control characters itself), so tests of scenario text ask the loaded scenario."""
    whole = clean(loaded.scenario.title.split(" fares ", 1)[1])
    return whole, whole.split(f" {SCRIPT}")[0]


def terminal(app: Any) -> tuple[str, str]:
    """What the terminal would receive for the screen now (with its dialogs and toasts), and
    the same as plain text, one line per row.

    Rendered the way Textual renders a frame (and its own screenshots): the compositor's full
    update printed to a terminal console. The bytes are what a real terminal would obey.
    """
    width, height = app.size
    out = io.StringIO()
    console = Console(
        width=width,
        height=height,
        file=out,
        force_terminal=True,
        color_system="truecolor",
        record=True,
        legacy_windows=False,
        safe_box=False,
    )
    console.print(
        app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    )
    return out.getvalue(), console.export_text(styles=False)


def assert_inert(app: Any, *visible: str) -> str:
    """No control sequence on screen but the styling Rich emits itself (``ESC [ … m``, cursor
    moves), and each of ``visible`` shown as typed; the screen's text, for more checks."""
    sent, screen = terminal(app)
    assert not re.search(r"\x1b[^\[]", sent), "an escape sequence other than CSI reached the screen"
    for control in ("\x07", "\x9b", "\x9d", "\u202e"):
        assert control not in sent, f"{control!r} reached the screen"
    assert "\x1b" not in screen
    for text in visible:
        assert text in screen, f"{text!r} is not on screen:\n{screen}"
    return screen


async def shown(pilot: Any, app: Any, *texts: str, tries: int = 40) -> None:
    """Wait, a frame at a time, until every one of ``texts`` is on screen (a table laid out
    after a slow frame on a busy machine), then let the caller's assertions judge it."""
    for _ in range(tries):
        if all(t in terminal(app)[1] for t in texts):
            return
        await pilot.pause(0.05)

"""Enter in a text field acts on the whole text, even when the last keystrokes arrive after it.

In a browser, ipywidgets sends Enter (a 'submit' message) at once but may hold the
last keystrokes back until the kernel has answered the previous ones; the browser
test ``test_e2e_voila.py::test_an_element_can_be_added_with_the_keyboard_alone``
shows it with real typing. Here the same order of messages (Enter, then the rest of
the text) is replayed inside a real IPython kernel, and outside one.
"""

from __future__ import annotations

import json
from pathlib import Path

import ipywidgets as w
import nbformat
import pytest
from nbclient import NotebookClient

from workbench.ui._common import on_enter

_IN_KERNEL = [
    # Enter arrives while the page still holds the end of the label back ...
    """import ipywidgets as w
from workbench.ui._common import on_enter
text = w.Text(value="Wish to be chosen first (keyboar")
seen = []
on_enter(text, lambda: seen.append(text.value))
text._handle_custom_msg({"event": "submit"}, [])
text._handle_custom_msg({"event": "submit"}, [])  # a second Enter meanwhile is the same one
text.value = "Wish to be chosen first (keyboard test)"  # ... which comes right after
at_once = list(seen)""",
    # wait (in the kernel's loop, which runs the delayed call) until the call has come, or 60 s
    """import asyncio, json
for _ in range(1200):
    if seen:
        break
    await asyncio.sleep(0.05)
print(json.dumps({"at_once": at_once, "seen": seen}))""",
]


@pytest.mark.slow
def test_in_a_kernel_enter_acts_on_text_that_arrives_after_it(tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))  # the kernel writes nothing into the real home
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in _IN_KERNEL])
    NotebookClient(nb, timeout=120, kernel_name="python3",
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    (output,) = nb.cells[1].outputs
    result = json.loads(output["text"])
    assert result["at_once"] == []  # nothing happened at the Enter itself ...
    assert result["seen"] == ["Wish to be chosen first (keyboard test)"]  # ... then once, on the whole label


def test_outside_a_kernel_enter_acts_at_once() -> None:
    text = w.Text(value="Set from Python")
    seen: list[str] = []
    on_enter(text, lambda: seen.append(text.value))
    text._handle_custom_msg({"event": "submit"}, [])  # what the page sends on Enter
    assert seen == ["Set from Python"]

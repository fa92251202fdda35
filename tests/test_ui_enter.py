"""Enter in a text field acts on the whole text, even when the last keystrokes arrive after it.

In a browser, ipywidgets sends Enter (a 'submit' message) at once but may hold the
last keystrokes back until the kernel has answered the previous ones; the browser
test ``test_e2e_voila.py::test_an_element_can_be_added_with_the_keyboard_alone``
shows it with real typing. Here the same order of messages is replayed in a running
event loop, as in a kernel.
"""

from __future__ import annotations

import asyncio

import ipywidgets as w

from workbench.ui._common import ENTER_SETTLE, on_enter


def _submit(text: w.Text) -> None:
    text._handle_custom_msg({"event": "submit"}, [])  # what the page sends on Enter


def test_enter_waits_for_text_that_arrives_after_it() -> None:
    text = w.Text(value="Wish to be chosen first (keyboar")
    seen: list[str] = []
    on_enter(text, lambda: seen.append(text.value))

    async def page() -> None:
        _submit(text)
        _submit(text)  # a second Enter meanwhile is the same one
        await asyncio.sleep(0.02)
        text.value = "Wish to be chosen first (keyboard test)"  # the held-back keystrokes
        assert seen == []
        await asyncio.sleep(ENTER_SETTLE + 0.2)
        assert seen == ["Wish to be chosen first (keyboard test)"]
        _submit(text)  # a later Enter acts again
        await asyncio.sleep(ENTER_SETTLE + 0.2)

    asyncio.run(page())
    assert seen == ["Wish to be chosen first (keyboard test)"] * 2


def test_without_an_event_loop_enter_acts_at_once() -> None:
    text = w.Text(value="Set from Python")
    seen: list[str] = []
    on_enter(text, lambda: seen.append(text.value))
    _submit(text)
    assert seen == ["Set from Python"]

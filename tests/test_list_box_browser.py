"""The element list in the app (ui/list_box.py): a native list that follows the kernel's list by
changing only the options that differ.

On the demo case in the Voilà app: the list shows every element, in the case's order, as
``label · kind``; a search narrows it (keeping the options of the elements still listed) and
clearing the search brings every element back in the same order; picking an option opens that
element in the form.
"""

from __future__ import annotations

import pytest
from conftest import RecordedPage
from e2e_pages import open_app_on_demo
from e2e_servers import DEMO_CASE, Server

import workbench

pytestmark = pytest.mark.browser

LOAD_TIMEOUT = 120_000  # ms: Voilà starts a kernel and runs the app's cell before it shows the page

#: The list's options as shown: [text, value] (spaces as typed).
OPTIONS = ("() => [...document.querySelectorAll('.wb-element-list option')]"
           ".map((o) => [o.textContent, o.value])")
#: Mark every option shown now (the mark stays on an option the page keeps).
MARK = "() => { for (const o of document.querySelectorAll('.wb-element-list option')) o.__wbKept = true; }"
KEPT = "() => [...document.querySelectorAll('.wb-element-list option')].filter((o) => o.__wbKept).length"


def test_the_element_list_narrows_and_widens_keeping_its_options_and_their_order(
    recorded_page: RecordedPage, voila_server: Server
) -> None:
    page = open_app_on_demo(recorded_page, voila_server, timeout=LOAD_TIMEOUT)
    case = workbench.load(voila_server.root / DEMO_CASE)
    kinds = case.template.element_kinds
    every = [[f"{el.label} · {kinds[el.kind].name}", el.id] for el in case.element_records()]
    page.wait_for_function(f"(n) => ({OPTIONS})().length === n", arg=len(every))
    assert page.evaluate(OPTIONS) == every

    needle = "fear"
    matching = [pair for pair, el in zip(every, case.element_records(), strict=True)
                if needle in el.label.lower() or needle in el.description.lower()]
    assert 0 < len(matching) < len(every)
    page.evaluate(MARK)
    page.locator(".wb-element-search input").fill(needle)
    page.wait_for_function(f"(n) => ({OPTIONS})().length === n", arg=len(matching))
    assert page.evaluate(OPTIONS) == matching
    assert page.evaluate(KEPT) == len(matching)  # the options of the elements still listed were kept

    page.locator(".wb-element-search input").fill("")
    page.wait_for_function(f"(n) => ({OPTIONS})().length === n", arg=len(every))
    assert page.evaluate(OPTIONS) == every  # back in the case's order
    assert page.evaluate(KEPT) == len(matching)

    picked = every[2]
    page.locator(".wb-element-list select").select_option(value=picked[1])
    page.wait_for_function("(l) => document.querySelector('.wb-element-label input')?.value === l",
                           arg=case.element(picked[1]).label)
    assert page.evaluate("() => document.querySelector('.wb-element-list select').value") == picked[1]
    assert recorded_page.log.outside_requests() == []
    assert recorded_page.log.page_errors == []

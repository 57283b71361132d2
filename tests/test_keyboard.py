"""Keyboard use of the meeting page and the search page: skip link first and working,
focus always visible, every interactive element reachable with Tab."""

from __future__ import annotations

from typing import Any

import pytest

from a11y_browser import PAGE_TYPES, show_search_results

# Mark every visible, tabbable element (light DOM) and remember how it looks without focus.
MARK_FOCUSABLE = """() => {
  const selector = 'a[href], button:not([disabled]), input:not([disabled]):not([type=hidden]), select:not([disabled]),'
    + ' textarea:not([disabled]), summary, [tabindex]:not([tabindex="-1"])';
  const all = [...document.querySelectorAll(selector)].filter(e => e.getClientRects().length && e.tabIndex >= 0
    && getComputedStyle(e).visibility !== 'hidden');
  all.forEach((e, i) => { e.dataset.kbd = String(i); });
  return all.length;
}"""
# The deepest focused element (through open shadow roots) and its focus indicator.
ACTIVE = """() => {
  let e = document.activeElement;
  while (e && e.shadowRoot && e.shadowRoot.activeElement) e = e.shadowRoot.activeElement;
  if (!e || e === document.body) return null;
  const s = getComputedStyle(e), r = e.getBoundingClientRect();
  return {kbd: e.dataset ? e.dataset.kbd ?? null : null, tag: e.localName, text: (e.textContent || e.value || '').trim().slice(0, 50),
          outline: [s.outlineStyle, s.outlineWidth, s.outlineColor].join(' '), outlineWidth: parseFloat(s.outlineWidth),
          outlineStyle: s.outlineStyle, boxShadow: s.boxShadow, inViewport: r.bottom > 0 && r.top < innerHeight && r.width > 0};
}"""
UNFOCUSED = """e => { const s = getComputedStyle(e); return {outline: [s.outlineStyle, s.outlineWidth, s.outlineColor].join(' '),
  boxShadow: s.boxShadow}; }"""


def tab_through(page: Any, limit: int) -> list[dict[str, Any]]:
    """Press Tab until focus leaves the document (or `limit` presses); return each focused element."""
    stops = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        active = page.evaluate(ACTIVE)
        if active is None:
            break
        stops.append(active)
    return stops


def focus_is_visible(page: Any, stop: dict[str, Any]) -> bool:
    """A focused element shows an outline of at least 2 px, or a box shadow, it does not have unfocused."""
    if stop["kbd"] is not None:
        element = page.locator(f'[data-kbd="{stop["kbd"]}"]')
        unfocused = element.evaluate(f"e => {{ e.blur(); return ({UNFOCUSED})(e); }}")
        element.focus()  # put focus back where Tab left it
    else:
        unfocused = {"outline": "", "boxShadow": "none"}
    outline = stop["outlineStyle"] != "none" and stop["outlineWidth"] >= 2 and stop["outline"] != unfocused["outline"]
    shadow = stop["boxShadow"] != "none" and stop["boxShadow"] != unfocused["boxShadow"]
    return outline or shadow


def open_page(page: Any, url: str, page_type: str) -> int:
    """Load the page (with search results on the search page), mark its tabbable elements, return their count."""
    page.goto(url)
    if page_type == "search":
        show_search_results(page)
        # Start Tab from the top again: blur() alone leaves Chromium's focus starting point at the search field.
        page.evaluate("""() => { document.activeElement.blur(); window.scrollTo(0, 0);
          document.body.tabIndex = -1; document.body.focus(); document.body.removeAttribute('tabindex'); }""")
    return int(page.evaluate(MARK_FOCUSABLE))


@pytest.mark.parametrize("page_type", ["meeting-open-and-closed", "meeting-long", "search"])
def test_skip_link_comes_first_and_works(page, site_url: str, page_type: str) -> None:  # type: ignore[no-untyped-def]
    open_page(page, site_url + PAGE_TYPES[page_type], page_type)
    first = tab_through(page, 1)[0]
    assert first["text"] == "Gå til indhold" and first["inViewport"], first
    assert focus_is_visible(page, first)
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "indhold"
    first_in_main = page.evaluate("""() => { const main = document.getElementById('indhold');
      return [...document.querySelectorAll('[data-kbd]')]
        .find(e => main.compareDocumentPosition(e) & Node.DOCUMENT_POSITION_FOLLOWING).dataset.kbd; }""")
    after_skip = tab_through(page, 1)[0]
    assert after_skip["kbd"] == first_in_main, f"Tab after the skip link went to {after_skip}"


@pytest.mark.parametrize("page_type", ["meeting-open-and-closed", "meeting-long", "search"])
def test_every_element_reachable_with_visible_focus(page, site_url: str, page_type: str) -> None:  # type: ignore[no-untyped-def]
    page.set_viewport_size({"width": 1280, "height": 900})
    count = open_page(page, site_url + PAGE_TYPES[page_type], page_type)
    assert count > 5
    stops = tab_through(page, count + 20)
    invisible = [s for s in stops if not s["inViewport"] or not focus_is_visible(page, s)]
    assert not invisible, "focus not visible on: " + "; ".join(
        f"{s['tag']} {s['text']!r} ({s['outline']}, {s['boxShadow']})" for s in invisible)
    reached = [s["kbd"] for s in stops]
    unreached = page.evaluate(
        "(reached) => [...document.querySelectorAll('[data-kbd]')].filter(e => !reached.includes(e.dataset.kbd))"
        ".map(e => e.localName + ' ' + (e.textContent || '').trim().slice(0, 40))", reached)
    assert not unreached, f"not reachable with Tab: {unreached}"

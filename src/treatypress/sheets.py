"""Stylesheets and fonts read once per process, not once per rendering.

A document names its stylesheets with `<link rel="stylesheet">` and may hold a `<style>`. Left
there, WeasyPrint fetches and parses them, and loads every bundled font file again (about 3.6 MB),
for each rendering: a fifth of a fact sheet's time. Here they are taken out of the parsed document,
in order, and handed to the rendering already parsed, sharing one font configuration. For the same
styles/ (its digest, `styles`) a process parses each stylesheet once. All of a document's own
stylesheets stay in one origin, in the order they were written, so the cascade is unchanged.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin

from weasyprint.css.counters import CounterStyle
from weasyprint.text.fonts import FontConfiguration


@dataclass
class Prepared:
    """A document's stylesheets, parsed, with the fonts and counter styles they declare."""

    font_config: Any = field(default_factory=FontConfiguration)
    counter_style: Any = field(default_factory=CounterStyle)
    sheets: list[Any] = field(default_factory=list)
    pid: int = field(default_factory=os.getpid)
    """The process that made it: only that one removes the font files it unpacked."""


Parse = Callable[[str, str, Prepared], Any]
"""(what, "url" or "string", into): one stylesheet parsed with `into`'s fonts and counters."""

_PARSED: dict[tuple[str, str], Any] = {}  # for the scope of _shared: cleared when it changes
_shared: tuple[str, Prepared] | None = None  # (scope, what its documents share)


def _taken(page: Any) -> list[tuple[str, str]]:
    """Remove the document's stylesheet links and style elements; return them in order."""
    parents = {child: parent for parent in page.etree_element.iter() for child in parent}
    found: list[tuple[str, str]] = []
    for element in [e for e in page.etree_element.iter() if e.tag in ("link", "style")]:
        if element.get("media") not in (None, "", "all", "print"):
            continue  # not for print: WeasyPrint leaves it out anyway
        if element.tag == "style":
            found.append(("string", element.text or ""))
        elif "stylesheet" in str(element.get("rel") or "").lower().split():
            found.append(("url", urljoin(page.base_url or "", element.get("href") or "")))
        else:
            continue
        parents[element].remove(element)
    return found


def prepare(page: Any, parse: Parse, styles: str = "") -> Prepared:
    """Take the stylesheets out of `page` and return them parsed.

    With `styles` (a digest of styles/), stylesheets are kept for the next document of this
    process; without it, each document parses its own.
    """
    global _shared
    found = _taken(page)
    if not styles:
        prepared = Prepared()
        prepared.sheets = [parse(what, how, prepared) for how, what in found]
        return prepared
    if _shared is None or _shared[0] != styles:  # styles/ changed (watch): forget the old files
        if _shared and _shared[1].pid != os.getpid():  # inherited from the process that forked this
            _shared[1].font_config._folder = None
        _PARSED.clear()
        _shared = (styles, Prepared())
    shared = _shared[1]
    sheets = []
    for how, what in found:
        if (how, what) not in _PARSED:
            _PARSED[(how, what)] = parse(what, how, shared)
        sheets.append(_PARSED[(how, what)])
    return Prepared(shared.font_config, shared.counter_style, sheets, shared.pid)

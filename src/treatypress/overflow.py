"""Too long: refuse a document far longer than its pages, and say what overflows and by how much."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .errors import RenderError
from .fit import leaves

TOO_LONG = 3  # times a document's capacity: refused before typesetting


def _text(element: Any) -> str:
    """An element's text, white space collapsed."""
    return " ".join("".join(element.itertext()).split())


def _section_name(section: Any) -> str | None:
    """The heading of a section (an h2, alone or beside a legend), or None for an unheaded one."""
    heading = section.find("h2")
    if heading is None:
        heading = section.find("div/h2")
    return _text(heading) if heading is not None else None


def refuse_far_too_long(page: Any, document: str, *, pages: int, capacity: int) -> None:
    """Refuse, at once, a document whose text is many times what its pages hold."""
    root = page.etree_element
    length = len(_text(root))
    if length <= TOO_LONG * capacity * pages:
        return
    sections = [
        (len(_text(section)), name)
        for section in root.iter("section")
        if (name := _section_name(section))
    ]
    top = ", ".join(f"{name} {n:,} characters" for n, name in sorted(sections, reverse=True)[:3])
    raise RenderError(
        document,
        f"is about {length / (capacity * pages):.0f} times as long as its "
        f"{pages} page(s) hold ({length:,} characters of text); shorten the "
        f"content (largest sections: {top})",
    )


def overflow_message(doc: Any, pages: int, exact: bool = True) -> str:
    """What overflows, by how much, and the sections taking the most room."""
    # Measured from the laid-out boxes; WeasyPrint has no public API for them (_page_box).
    if len(doc.pages) < pages:
        return f"has {len(doc.pages)} page(s); it must fill exactly {pages}"
    extra = 0.0
    for page in doc.pages[pages:]:
        roots = [b for b in page._page_box.children if type(b).__name__ != "MarginBox"]
        bottoms = [box.position_y + box.margin_height() for root in roots for box in leaves(root)]
        top = page._page_box.content_box_y()
        extra += max(bottoms, default=top) - top
    mm = extra * 25.4 / 96  # CSS px to mm
    return (
        f"runs to {len(doc.pages)} pages but must fit on {'' if exact else 'at most '}{pages}: "
        f"about {mm:.0f} mm of content too much; shorten the content "
        f"(largest sections: {_largest_sections(doc)})"
    )


def _largest_sections(doc: Any, count: int = 3) -> str:
    """The headed sections taking the most room, with their height in mm, over all pages."""
    heights: dict[str, float] = {}
    for page in doc.pages:
        seen: set[int] = set()
        for box in _all_boxes(page._page_box):
            element = getattr(box, "element", None)
            if (
                getattr(box, "element_tag", None) != "section"
                or element is None
                or id(element) in seen
            ):
                continue
            seen.add(id(element))
            if name := _section_name(element):
                heights[name] = heights.get(name, 0.0) + box.margin_height()
    top = sorted(heights.items(), key=lambda kv: -kv[1])[:count]
    return ", ".join(f"{name} {h * 25.4 / 96:.0f} mm" for name, h in top)


def _all_boxes(root: Any) -> Iterator[Any]:
    stack = [root]
    while stack:
        box = stack.pop()
        yield box
        if not type(box).__name__.startswith("Line"):
            stack.extend(getattr(box, "children", None) or ())

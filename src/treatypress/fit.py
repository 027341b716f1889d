"""Copyfitting: the largest body size (and the fill) at which a document has its page count.

Trying sizes costs a full rendering each, so the choice that fitted is remembered, keyed by
everything the layout depends on (the HTML, the stylesheets and fonts, the CSS tried, the page
count and the WeasyPrint version). A document whose inputs were laid out before is rendered once,
with the remembered choice; any other is searched as before, largest type first. The memory is a
small JSON file in the user's cache folder (`$TREATYPRESS_CACHE`, else `$XDG_CACHE_HOME/treatypress`,
else `~/.cache/treatypress`), so a clean build folder keeps it; it is only ever a hint that the
rendering itself confirms.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from .atomic import atomic_write
from .memo import cache_dir

Choice = tuple[int, int, int]
"""Indexes of the body size, the `short` CSS (-1: none) and the `fill` CSS (-1: none) used."""

FILL_THRESHOLD_MM = 20  # less room than this on the last page is left as it is
LIMIT = 20000  # entries kept in the memory, the most recently used

MEMORY: dict[str, list[int]] = {}
"""Choices remembered from earlier builds; loaded by the build before its workers start."""


def load_memory() -> dict[str, list[int]]:
    """The remembered choices (empty when there are none or they cannot be read)."""
    try:
        data = json.loads((cache_dir() / "fit.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def save_memory(memory: dict[str, list[int]], new: dict[str, list[int]]) -> None:
    """Add the choices of this build to the memory and write it, the most recent last."""
    if not new:
        return
    merged = {k: v for k, v in memory.items() if k not in new} | new
    keep = dict(list(merged.items())[-LIMIT:])
    with contextlib.suppress(OSError):  # a read-only home: the next build searches again
        atomic_write(cache_dir() / "fit.json", json.dumps(keep).encode())


def key(
    *, html: str, styles: str, css: list[str | None], pages: int | None, most: int | None
) -> str:
    """The digest of everything a fit depends on."""
    import weasyprint

    h = hashlib.sha256(f"{weasyprint.__version__}\0{styles}\0{pages}\0{most}\0".encode())
    h.update("\0".join(c or "" for c in css).encode() + b"\0" + html.encode())
    return h.hexdigest()


@dataclass
class Fitted:
    """The rendering chosen, which choice it was, and how many renderings it took."""

    doc: Any
    choice: Choice
    renders: int
    fits: bool


def fits(count: int, pages: int | None, max_pages: int | None) -> bool:
    """Whether a rendering with `count` pages has the exact count, or is within the maximum."""
    if pages:
        return count == pages
    return max_pages is None or count <= max_pages


def fit(
    render: Callable[..., Any],
    *,
    pages: int | None,
    max_pages: int | None = None,
    variants: list[str | None],
    short: list[str],
    fill: list[str],
    remembered: list[int] | None = None,
) -> Fitted:
    """The first rendering with `pages` pages (largest type first), given room to spare if it has
    some; the last one tried if none fits. A remembered choice is rendered first, and kept when
    it fits."""
    count = 0

    def attempt(v: int, s: int = -1, f: int = -1) -> Any:
        nonlocal count
        count += 1
        extra = [short[s]] if s >= 0 else [fill[f]] if f >= 0 else []
        return render(variants[v], *extra)

    if remembered and _valid(remembered, variants, short, fill):
        v, s, f = remembered
        doc = attempt(v, s, f)
        if fits(len(doc.pages), pages, max_pages):
            return Fitted(doc, (v, s, f), count, True)
    for v in range(len(variants)):
        doc, s = attempt(v), -1
        if pages and len(doc.pages) < pages:
            for i in range(len(short)):
                candidate = attempt(v, i)
                if len(candidate.pages) == pages:
                    doc, s = candidate, i
                    break
        if fits(len(doc.pages), pages, max_pages):
            break
    else:
        return Fitted(doc, (v, s, -1), count, False)
    if pages and fill and free_mm(doc) > FILL_THRESHOLD_MM:
        for f in range(len(fill)):
            filled = attempt(v, -1, f)
            if len(filled.pages) == pages:
                return Fitted(filled, (v, -1, f), count, True)
    return Fitted(doc, (v, s, -1), count, True)


def _valid(
    choice: list[int], variants: list[str | None], short: list[str], fill: list[str]
) -> bool:
    if len(choice) != 3 or not all(isinstance(i, int) for i in choice):
        return False
    v, s, f = choice
    return 0 <= v < len(variants) and -1 <= s < len(short) and -1 <= f < len(fill)


def free_mm(doc: Any) -> float:
    """The height left empty at the foot of the last page, in mm."""
    page = doc.pages[-1]._page_box
    roots = [b for b in page.children if type(b).__name__ != "MarginBox"]
    bottom = max(
        (box.position_y + box.margin_height() for root in roots for box in leaves(root)),
        default=page.content_box_y(),
    )
    return float((page.content_box_y() + page.height - bottom) * 25.4 / 96)


def leaves(root: Any) -> Iterator[Any]:
    """The boxes under `root` that have no children (a line box counts as one)."""
    stack = [root]
    while stack:
        box = stack.pop()
        children = getattr(box, "children", None)
        if children and not type(box).__name__.startswith("Line"):
            stack.extend(children)
        else:
            yield box

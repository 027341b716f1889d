"""Write PDF: HTML -> PDF with WeasyPrint, sandboxed fetching, exact page counts, atomic writes."""

from __future__ import annotations

import contextlib
import hashlib
import logging
import mimetypes
import os
import tempfile
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import weasyprint
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

from .errors import RenderError
from .layout import check_pages
from .tagging import tagged


class ForbiddenURL(FatalURLFetchingError):
    """A document asked for something outside the project's own assets."""


class SandboxFetcher(URLFetcher):
    """Serves files under the allowed folders (symlinks and .. resolved) and data: URIs; nothing else."""

    def __init__(self, roots: list[Path], document: str) -> None:
        super().__init__(allowed_protocols={"file", "data"}, fail_on_errors=True)
        self.roots = [r.resolve() for r in roots]
        self.document = document
        self.refused: list[str] = []  # kept: WeasyPrint swallows errors while drawing SVG images

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        """Return the resource, or stop the rendering with a message naming the URL."""
        try:
            return self._fetch(url, headers)
        except ForbiddenURL as exc:
            self.refused.append(str(exc).removeprefix(f"{self.document}: "))
            raise

    def _fetch(self, url: str, headers: dict | None) -> URLFetcherResponse:
        scheme = urlsplit(url).scheme.lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme == "file":
            try:
                path = Path(unquote(urlsplit(url).path)).resolve()
                allowed = path.is_file() and any(path.is_relative_to(root) for root in self.roots)
            except (OSError, ValueError, RuntimeError):  # NUL byte, name too long, symlink loop
                allowed = False
            if allowed:
                mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                return URLFetcherResponse(
                    url, body=path.read_bytes(), headers={"Content-Type": mime}
                )
            raise ForbiddenURL(
                f"{self.document}: refused to load {url}: only files under "
                f"{', '.join(r.name + '/' for r in self.roots)} may be loaded"
            )
        raise ForbiddenURL(
            f"{self.document}: refused to load {url}: documents may not use the "
            f"network or {scheme or 'relative'}: URLs"
        )


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def write_pdf(
    *,
    html: str,
    base_dir: Path,
    allowed: list[Path],
    out: Path,
    document: str,
    pages: int | None,
    identifier: str,
    max_pages: int | None = None,
    options: dict | None = None,
    variants: list[str] | None = None,
    short: list[str] | None = None,
    fill: list[str] | None = None,
    capacity: int | None = None,
    overflow: Path | None = None,
) -> list[str]:
    """Typeset `html` into `out` (atomically) with exactly `pages` pages; return WeasyPrint warnings.

    `variants` are extra CSS tried in turn (largest type first); the first that fits is used. A
    document that fits none is written to `overflow` (never to `out`), so it can be looked at. When
    the one that fits leaves room on its last page, the `fill` CSS is tried, most generous first; one
    with too few pages tries the `short` CSS.
    """
    handler = _Collect()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(handler)
    try:
        fetcher = SandboxFetcher(allowed, document)
        base_url = base_dir.resolve().as_uri() + "/"
        page = weasyprint.HTML(string=html, base_url=base_url, url_fetcher=fetcher)
        _refuse_attachments(page, base_url, document)
        limit = pages or max_pages
        if capacity and limit:
            _refuse_far_too_long(page, document, pages=limit, capacity=capacity)
        doc = _fit(
            page,
            fetcher,
            document,
            pages=pages,
            max_pages=max_pages,
            variants=variants or [None],
            short=short or [],
            fill=fill or [],
        )
        if not _fits(len(doc.pages), pages, max_pages):
            message = _overflow_message(
                doc, pages or max_pages or len(doc.pages), exact=bool(pages)
            )
            if overflow:
                atomic_write(overflow, doc.write_pdf(pdf_variant="pdf/ua-1"))
                message += f"; the overflowing pages are in {overflow}"
            raise RenderError(document, message)
        if overflow and overflow.exists():  # an earlier overflow of this document, now fixed
            overflow.unlink()
            with contextlib.suppress(OSError):
                overflow.parent.rmdir()
        pdf_id = hashlib.sha256(identifier.encode()).hexdigest()[:32].encode()
        opts = {"pdf_identifier": pdf_id, "pdf_variant": "pdf/ua-1", **(options or {})}
        with tagged(
            doc,
            page.etree_element.get("lang") or "en",
            pdfa=opts["pdf_variant"].startswith("pdf/a"),
        ):
            data = _sandboxed(lambda: doc.write_pdf(**opts), fetcher, document)
        if problems := check_pages(pdf=data, margins_mm=_margins_mm(doc)):
            if overflow:
                atomic_write(overflow, data)
            raise RenderError(
                document,
                "text runs off its area or over other text: "
                + "; ".join(problems[:5])
                + (f"; and {len(problems) - 5} more" if len(problems) > 5 else "")
                + (f"; the document is in {overflow}" if overflow else ""),
            )
    finally:
        logger.removeHandler(handler)
    atomic_write(out, data)
    return list(
        dict.fromkeys(handler.messages)
    )  # once each, though every size tried may repeat them


def _sandboxed(step, fetcher: SandboxFetcher, document: str):
    """Run a WeasyPrint step; any refused URL fails it, even one WeasyPrint caught and logged."""
    try:
        result = step()
    except FatalURLFetchingError as exc:
        raise RenderError(document, fetcher.refused[0] if fetcher.refused else str(exc)) from None
    if fetcher.refused:
        raise RenderError(document, fetcher.refused[0])
    return result


def _refuse_attachments(page: weasyprint.HTML, base_url: str, document: str) -> None:
    """Documents never embed files: an attachment link fails the build, whatever it points at."""
    for element in page.etree_element.iter():
        if "attachment" in str(element.get("rel") or "").lower().split():
            href = urljoin(base_url, element.get("href") or "")
            raise RenderError(document, f"refused to attach {href}: documents may not embed files")


TOO_LONG = 3  # times a document's capacity: refused before typesetting


def _text(element) -> str:
    """An element's text, white space collapsed."""
    return " ".join("".join(element.itertext()).split())


def _section_name(section) -> str | None:
    """The heading of a section (an h2, alone or beside a legend), or None for an unheaded one."""
    heading = section.find("h2")
    if heading is None:
        heading = section.find("div/h2")
    return _text(heading) if heading is not None else None


def _refuse_far_too_long(
    page: weasyprint.HTML, document: str, *, pages: int, capacity: int
) -> None:
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


def _fits(count: int, pages: int | None, max_pages: int | None) -> bool:
    """Whether a rendering with `count` pages has the exact count, or is within the maximum."""
    if pages:
        return count == pages
    return max_pages is None or count <= max_pages


def _fit(
    page: weasyprint.HTML,
    fetcher: SandboxFetcher,
    document: str,
    *,
    pages: int | None,
    max_pages: int | None = None,
    variants: list[str | None],
    short: list[str],
    fill: list[str],
) -> weasyprint.Document:
    """The first rendering with `pages` pages (largest type first), given room to spare if it has
    some; the last one tried if none fits."""

    def render(*css: str | None) -> weasyprint.Document:
        sheets = [weasyprint.CSS(string=c, url_fetcher=fetcher) for c in css if c]
        return _sandboxed(lambda: page.render(stylesheets=sheets), fetcher, document)

    for variant in variants:
        doc = render(variant)
        if pages and len(doc.pages) < pages:
            doc = next(
                (d for d in map(lambda css: render(variant, css), short) if len(d.pages) == pages),
                doc,
            )
        if _fits(len(doc.pages), pages, max_pages):
            break
    else:
        return doc
    if pages and fill and _free_mm(doc) > FILL_THRESHOLD_MM:
        for extra in fill:
            filled = render(variant, extra)
            if len(filled.pages) == pages:
                return filled
    return doc


def _margins_mm(doc: weasyprint.Document) -> tuple[float, float, float, float]:
    """The first page's margins (top, right, bottom, left) in mm, as the stylesheets set them."""
    box = doc.pages[0]._page_box
    return tuple(
        getattr(box, f"margin_{side}") * 25.4 / 96 for side in ("top", "right", "bottom", "left")
    )


FILL_THRESHOLD_MM = 20  # less room than this on the last page is left as it is


def _free_mm(doc: weasyprint.Document) -> float:
    """The height left empty at the foot of the last page, in mm."""
    page = doc.pages[-1]._page_box
    roots = [b for b in page.children if type(b).__name__ != "MarginBox"]
    bottom = max(
        (box.position_y + box.margin_height() for root in roots for box in _leaves(root)),
        default=page.content_box_y(),
    )
    return (page.content_box_y() + page.height - bottom) * 25.4 / 96


def _overflow_message(doc: weasyprint.Document, pages: int, exact: bool = True) -> str:
    # Measured from the laid-out boxes; WeasyPrint has no public API for them (_page_box).
    if len(doc.pages) < pages:
        return f"has {len(doc.pages)} page(s); it must fill exactly {pages}"
    extra = 0.0
    for page in doc.pages[pages:]:
        roots = [b for b in page._page_box.children if type(b).__name__ != "MarginBox"]
        bottoms = [box.position_y + box.margin_height() for root in roots for box in _leaves(root)]
        top = page._page_box.content_box_y()
        extra += max(bottoms, default=top) - top
    mm = extra * 25.4 / 96  # CSS px to mm
    return (
        f"runs to {len(doc.pages)} pages but must fit on {'' if exact else 'at most '}{pages}: "
        f"about {mm:.0f} mm of content too much; shorten the content "
        f"(largest sections: {_largest_sections(doc)})"
    )


def _largest_sections(doc: weasyprint.Document, count: int = 3) -> str:
    """The headed sections taking the most room, with their height in mm, over all pages."""
    heights: dict[str, float] = {}
    for page in doc.pages:
        seen = set()
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


def _all_boxes(root):
    stack = [root]
    while stack:
        box = stack.pop()
        yield box
        if not type(box).__name__.startswith("Line"):
            stack.extend(getattr(box, "children", None) or ())


def _leaves(root):
    stack = [root]
    while stack:
        box = stack.pop()
        children = getattr(box, "children", None)
        if children and not type(box).__name__.startswith("Line"):
            stack.extend(children)
        else:
            yield box


def atomic_write(path: Path, data: bytes) -> None:
    """Write bytes to a temporary file beside `path`, then rename it into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, 0o644)  # mkstemp makes 0600; outputs are for sharing
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise

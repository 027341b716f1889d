"""Write PDF: HTML -> PDF with WeasyPrint, sandboxed fetching, exact page counts, atomic writes."""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import mimetypes
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

import weasyprint
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

from . import fit as fitmod
from . import layout, memo, sheets
from .atomic import atomic_write as atomic_write
from .errors import RenderError
from .fit import Choice, fit, key
from .layout import check_pages
from .overflow import overflow_message, refuse_far_too_long
from .tagging import tagged


class ForbiddenURL(FatalURLFetchingError):  # type: ignore[misc]
    """A document asked for something outside the project's own assets."""


class SandboxFetcher(URLFetcher):  # type: ignore[misc]
    """Serves files under the allowed folders (symlinks and .. resolved) and data: URIs; nothing else."""

    def __init__(self, roots: list[Path], document: str) -> None:
        super().__init__(allowed_protocols={"file", "data"}, fail_on_errors=True)
        self.roots = [r.resolve() for r in roots]
        self.document = document
        self.refused: list[str] = []  # kept: WeasyPrint swallows errors while drawing SVG images

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        """Return the resource, or stop the rendering with a message naming the URL."""
        try:
            return self._fetch(url, headers)
        except ForbiddenURL as exc:
            self.refused.append(str(exc).removeprefix(f"{self.document}: "))
            raise

    def _fetch(self, url: str, headers: dict[str, str] | None) -> URLFetcherResponse:
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


@dataclass
class Written:
    """What writing one PDF did: its WeasyPrint warnings, pages, bytes, and the copyfitting."""

    warnings: list[str]
    pages: int
    size: int
    renders: int
    fit_key: str = ""
    choice: Choice | None = None


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
    options: dict[str, Any] | None = None,
    variants: list[str] | None = None,
    short: list[str] | None = None,
    fill: list[str] | None = None,
    capacity: int | None = None,
    overflow: Path | None = None,
    styles: str = "",
) -> Written:
    """Typeset `html` into `out` (atomically) with exactly `pages` pages.

    `variants` are extra CSS tried in turn (largest type first); the first that fits is used. A
    document that fits none is written to `overflow` (never to `out`), so it can be looked at. When
    the one that fits leaves room on its last page, the `fill` CSS is tried, most generous first; one
    with too few pages tries the `short` CSS. With `styles` (a digest of the stylesheets and fonts),
    the choice is remembered for the same inputs (see fit.py).
    """
    handler = _Collect()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(handler)
    try:
        fetcher = SandboxFetcher(allowed, document)
        base_url = base_dir.resolve().as_uri() + "/"
        page = weasyprint.HTML(string=html, base_url=base_url, url_fetcher=fetcher)
        _refuse_attachments(page, base_url, document)

        def parse(what: str, how: str, into: sheets.Prepared) -> Any:
            args = {how: what, "url_fetcher": fetcher}
            if how == "string":  # a stylesheet fetched by URL resolves against its own
                args["base_url"] = base_url
            return _sandboxed(
                lambda: weasyprint.CSS(
                    **args, font_config=into.font_config, counter_style=into.counter_style
                ),
                fetcher,
                document,
            )

        scope = f"{styles} {[str(root) for root in fetcher.roots]}"  # what it may load counts too
        prepared = sheets.prepare(page, parse, scope if styles else "")
        limit = pages or max_pages
        if capacity and limit:
            refuse_far_too_long(page, document, pages=limit, capacity=capacity)
        tried: list[str | None] = [*variants] if variants else [None]
        fit_key = styles and key(
            html=html,
            styles=styles,
            css=[*tried, *(short or []), *(fill or [])],
            pages=pages,
            most=max_pages,
        )

        def render(*css: str | None) -> Any:
            extra = [
                weasyprint.CSS(string=c, url_fetcher=fetcher, font_config=prepared.font_config)
                for c in css
                if c
            ]
            return _sandboxed(
                lambda: page.render(
                    stylesheets=[*prepared.sheets, *extra],
                    font_config=prepared.font_config,
                    counter_style=prepared.counter_style,
                ),
                fetcher,
                document,
            )

        fitted = fit(
            render,
            pages=pages,
            max_pages=max_pages,
            variants=tried,
            short=short or [],
            fill=fill or [],
            remembered=fitmod.MEMORY.get(fit_key) if fit_key else None,
        )
        doc = fitted.doc
        if not fitted.fits:
            message = overflow_message(doc, pages or max_pages or len(doc.pages), exact=bool(pages))
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
            data: bytes = _sandboxed(lambda: doc.write_pdf(**opts), fetcher, document)
        if problems := _check(data, _margins_mm(doc)):
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
    warnings = list(
        dict.fromkeys(handler.messages)
    )  # once each, though each size tried repeats them
    return Written(warnings, len(doc.pages), len(data), fitted.renders, fit_key, fitted.choice)


def _sandboxed(step: Callable[[], Any], fetcher: SandboxFetcher, document: str) -> Any:
    """Run a WeasyPrint step; any refused URL fails it, even one WeasyPrint caught and logged."""
    try:
        result = step()
    except FatalURLFetchingError as exc:
        raise RenderError(document, fetcher.refused[0] if fetcher.refused else str(exc)) from None
    if fetcher.refused:
        raise RenderError(document, fetcher.refused[0])
    return result


def _refuse_attachments(page: Any, base_url: str, document: str) -> None:
    """Documents never embed files: an attachment link fails the build, whatever it points at."""
    for element in page.etree_element.iter():
        if "attachment" in str(element.get("rel") or "").lower().split():
            href = urljoin(base_url, element.get("href") or "")
            raise RenderError(document, f"refused to attach {href}: documents may not embed files")


def _check(data: bytes, margins: tuple[float, float, float, float]) -> list[str]:
    """The page check (layout.py), made once for the same PDF, margins and code (see memo.py)."""
    key = memo.digest(data, repr(margins), memo.code(layout.__file__))
    found = memo.cached(
        "page-checks", key, lambda: json.dumps(check_pages(pdf=data, margins_mm=margins)).encode()
    )
    return [str(p) for p in json.loads(found)]


def _margins_mm(doc: Any) -> tuple[float, float, float, float]:
    """The first page's margins (top, right, bottom, left) in mm, as the stylesheets set them."""
    box = doc.pages[0]._page_box
    top, right, bottom, left = (
        float(getattr(box, f"margin_{side}")) * 25.4 / 96
        for side in ("top", "right", "bottom", "left")
    )
    return top, right, bottom, left

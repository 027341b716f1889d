"""Previews: every page of every built document as a PNG picture, beside the documents."""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium

DPI = 60  # enough to judge a page's layout at a glance, small enough to put in a README


def write_previews(out_dir: Path, *, dpi: int = DPI) -> list[Path]:
    """Render each page of each PDF in build/<slug>/ and build/compare/ to
    <folder>/previews/<document>-<page>.png; return the files written."""
    written = []
    for pdf in sorted(out_dir.glob("*/*.pdf")):
        folder = pdf.parent / "previews"
        folder.mkdir(exist_ok=True)
        document = pdfium.PdfDocument(pdf)
        try:
            for number, page in enumerate(document, 1):
                image = page.render(scale=dpi / 72).to_pil()
                target = folder / f"{pdf.stem}-{number}.png"
                image.save(target, optimize=True)
                written.append(target)
        finally:
            document.close()
    return written

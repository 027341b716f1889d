"""Impose: two copies of each half-size page side by side on a landscape sheet, for class sets."""

from __future__ import annotations

import io

from pypdf import PageObject, PdfReader, PdfWriter, Transformation
from pypdf.generic import DecodedStreamObject

MM = 72 / 25.4  # PDF points per millimetre
CUT_GREY = 0.7  # the cut line: light grey, thin and dashed, so it guides scissors and not the eye


def two_up(pdf: bytes, *, sheet_mm: tuple[float, float], title: str) -> bytes:
    """Each page of `pdf` twice, side by side at 100% on a landscape sheet of `sheet_mm` (upright
    width, height), with a light cut line between; one sheet side per page, so a duplex print (flip
    on the short edge) cut in half gives two copies in page order."""
    reader = PdfReader(io.BytesIO(pdf))
    width, height = max(sheet_mm) * MM, min(sheet_mm) * MM
    writer = PdfWriter()
    for page in reader.pages:
        w, h = float(page.mediabox.width), float(page.mediabox.height)
        if 2 * w > width + 1 or h > height + 1:
            raise ValueError(f"two pages of {w / MM:.0f} x {h / MM:.0f} mm do not fit the sheet")
        sheet = PageObject.create_blank_page(width=width, height=height)
        gap = (width - 2 * w) / 2  # A5 on A4 leaves 1 mm: half on each outer edge
        top = (height - h) / 2
        for left in (gap, gap + w):
            sheet.merge_transformed_page(page, Transformation().translate(left, top))
        _cut_line(sheet, x=width / 2, height=height)
        writer.add_page(sheet)
    writer.add_metadata(
        {
            "/Title": f"{title} (two to a sheet)",
            "/Creator": "treatypress",
            **{
                k: v
                for k, v in (reader.metadata or {}).items()
                if k in ("/Author", "/CreationDate", "/ModDate")
            },
        }
    )
    writer.compress_identical_objects(remove_duplicates=True, remove_unreferenced=True)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _cut_line(sheet: PageObject, *, x: float, height: float) -> None:
    """A dashed hairline down the middle of the sheet, drawn over both copies' margins."""
    stream = DecodedStreamObject()
    stream.set_data(
        f"q {CUT_GREY} G 0.4 w [4 3] 0 d {x:.2f} 0 m {x:.2f} {height:.2f} l S Q".encode()
    )
    contents = sheet.get_contents()
    ops = contents.get_data() if contents is not None else b""
    stream.set_data(ops + b"\n" + stream.get_data())
    sheet.replace_contents(stream)  # type: ignore[arg-type]  # any stream object serves

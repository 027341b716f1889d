"""Accessibility tagging WeasyPrint 70 leaves out, added while it writes the PDF.

WeasyPrint (pinned at 70.0) builds the structure tree in `weasyprint.pdf.tags._build_box_tree` and
marks content in `Stream.marked`. While a document is written, `tagged()` wraps both so that:
- an element in another language carries its /Lang (a screen reader picks its voice from it);
- a header cell carries its /Scope (Row or Column);
- a list item holds only Lbl and LBody (block content is wrapped in an LBody);
- running headers and footers (CSS margin boxes) are pagination artifacts, not content;
- a PDF/A file also names PDF/UA-1 in its XMP (WeasyPrint writes one identification schema).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pydyf
from weasyprint.formatting_structure import boxes
from weasyprint.pdf import metadata as metadata_module
from weasyprint.pdf import stream as stream_module
from weasyprint.pdf import tags as tags_module

_ORIGINAL_BUILD = tags_module._build_box_tree
_ORIGINAL_MARKED = stream_module.Stream.marked
_ORIGINAL_RDF = metadata_module.DocumentMetadata.generate_rdf_metadata
_LIST_KIDS = {"/Lbl", "/LBody"}

# The PDF/UA identification, and the extension-schema declaration PDF/A asks for any schema it does
# not predefine; added to the one rdf:RDF WeasyPrint writes (readers look at the first only).
PDFUA_RDF = b"""<rdf:Description rdf:about="" xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/" pdfuaid:part="1"/>
<rdf:Description rdf:about="" xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/"
 xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#" xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">
<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">
<pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>
<pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>
<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>
<pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType="Resource">
<pdfaProperty:name>part</pdfaProperty:name>
<pdfaProperty:valueType>Integer</pdfaProperty:valueType>
<pdfaProperty:category>internal</pdfaProperty:category>
<pdfaProperty:description>Indicates, which part of ISO 14289 standard is followed</pdfaProperty:description>
</rdf:li></rdf:Seq></pdfaSchema:property>
</rdf:li></rdf:Bag></pdfaExtension:schemas>
</rdf:Description>"""


def _descendants(box: Any) -> Iterator[Any]:
    stack = [box]
    while stack:
        box = stack.pop()
        yield box
        stack.extend(getattr(box, "children", ()) or ())


def margin_boxes(document: Any) -> dict[int, str]:
    """The ids of every box drawn in a page margin, with 'Header' or 'Footer' (its artifact subtype)."""
    return {
        id(b): "/Header" if child.at_keyword.startswith("@top") else "/Footer"
        for page in document.pages
        for child in page._page_box.children
        if isinstance(child, boxes.MarginBox)
        for b in _descendants(child)
    }


@contextmanager
def tagged(document: Any, lang: str, *, pdfa: bool = False) -> Iterator[None]:
    """Write `document` with the fuller tagging above; `lang` is the document's own language."""
    artifacts = margin_boxes(document)

    def rdf(self: Any, variant: str, version: str, conformance: str) -> bytes:
        xml: bytes = _ORIGINAL_RDF(self, variant, version, conformance)
        return xml.replace(b"</rdf:RDF>", PDFUA_RDF + b"</rdf:RDF>", 1) if variant == "a" else xml

    def build(
        box: Any,
        parent: Any,
        pdf: Any,
        page_number: int,
        nums: Any,
        annotations: Any,
        tags: Any,
    ) -> Iterator[Any]:
        for element in _ORIGINAL_BUILD(box, parent, pdf, page_number, nums, annotations, tags):
            _amend(element, box, pdf, lang)
            yield element

    @contextmanager
    def marked(self: Any, box: Any, tag: str) -> Iterator[None]:
        if id(box) not in artifacts or self._tags is None:
            with _ORIGINAL_MARKED(self, box, tag):
                yield
            return
        self._tags[box] = {"tag": tag, "mcid": len(self._tags)}  # the tree builder expects it
        self.begin_marked_content(
            "Artifact", pydyf.Dictionary({"Type": "/Pagination", "Subtype": artifacts[id(box)]})
        )
        try:
            yield
        finally:
            self.end_marked_content()

    tags_module._build_box_tree = build
    stream_module.Stream.marked = marked
    if pdfa:
        metadata_module.DocumentMetadata.generate_rdf_metadata = rdf
    try:
        yield
    finally:
        tags_module._build_box_tree = _ORIGINAL_BUILD
        stream_module.Stream.marked = _ORIGINAL_MARKED
        metadata_module.DocumentMetadata.generate_rdf_metadata = _ORIGINAL_RDF


def _amend(element: Any, box: Any, pdf: Any, lang: str) -> None:
    html = getattr(box, "element", None)
    if html is None or not hasattr(element, "get"):
        return
    own = html.get("lang")
    if own and own != lang and element.get("S") != "/LI":
        element["Lang"] = pydyf.String(own)
    if element.get("S") == "/TH":
        scope = "/Row" if html.get("scope") == "row" else "/Column"
        element.setdefault("A", pydyf.Dictionary({"O": "/Table"}))["Scope"] = scope
    if element.get("S") == "/LI":
        _wrap_list_body(element, pdf)


def _wrap_list_body(item: Any, pdf: Any) -> None:
    """Put an LI's kids that are not Lbl or LBody into one LBody, in order."""
    kids = list(item["K"])
    objects = {k: pdf.objects[int(k.split()[0])] for k in kids if isinstance(k, bytes)}
    loose = [k for k in kids if objects.get(k, {}).get("S") not in _LIST_KIDS]
    if not loose:
        return
    body = pydyf.Dictionary(
        {"Type": "/StructElem", "S": "/LBody", "K": pydyf.Array(loose), "P": item.reference}
    )
    if "Pg" in item:
        body["Pg"] = item["Pg"]
    pdf.add_object(body)
    for kid in loose:
        if kid in objects:
            objects[kid]["P"] = body.reference
    first = kids.index(loose[0])
    item["K"] = pydyf.Array(
        [k for k in kids[:first] if k not in loose]
        + [body.reference]
        + [k for k in kids[first:] if k not in loose]
    )

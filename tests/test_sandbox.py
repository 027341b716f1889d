"""The document sandbox: a document may load only the project's own assets (styles/) and data: URIs.

Each command-line case copies the project into a temporary folder, plants ONE hostile reference in a
template or a stylesheet, builds the fact sheet and proves that

- the build fails (exit status 1) with a message naming the URL and the document, and writes no PDF;
- no file outside the project is opened (inotify watches the secret files and their folder);
- no connection is made (a listening socket on 127.0.0.1 accepts nothing);
- the secret marker appears in no output (PDF bytes, decoded PDF streams, PDF text, HTML, messages).

`test_detectors_see_what_the_default_fetcher_does` shows those three detectors are not blind: WeasyPrint's
own fetcher, given the same references, opens the secret, connects, and embeds the secret in the PDF.
"""

from __future__ import annotations

import base64
import ctypes
import os
import shutil
import socket
import struct
import subprocess
import sys
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import pikepdf
import pytest
import weasyprint
from pypdf import PdfReader
from weasyprint.urls import FatalURLFetchingError, URLFetcher

from treatypress.pdf import ForbiddenURL, SandboxFetcher

ROOT = Path(__file__).resolve().parents[1]
DOCUMENT = "sino-soviet-1950 fact-sheet (a4)"
PDF = Path("sino-soviet-1950") / "sino-soviet-1950-fact-sheet-a4.pdf"
MARKER = f"TPSECRET{uuid.uuid4().hex}"  # never part of a file name or URL, only of file contents
# A 1x1 PNG.
PIXEL = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)
PIXEL_URI = "data:image/png;base64," + base64.b64encode(PIXEL).decode()
SVG_URI = (
    "data:image/svg+xml;base64,"
    + base64.b64encode(
        b'<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"><rect width="4" height="4"/></svg>'
    ).decode()
)

# What a leaked secret would look like to each kind of reference, so that loading it would show.
SECRETS = {
    "svg": f'<svg xmlns="http://www.w3.org/2000/svg" width="40" height="10"><title>{MARKER}</title>'
    f'<text y="9" font-size="4">{MARKER}</text></svg>',
    "css": f'/* {MARKER} */ body::after {{ content: "{MARKER}"; font-size: 4pt; }}',
    "txt": f"{MARKER}\n",
    "ttf": f"{MARKER}\n",
}


# ---------------------------------------------------------------------------------------------------
# Detectors


class Listener:
    """A TCP socket listening on 127.0.0.1 that never answers; `connections()` lists who connected."""

    def __init__(self) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.sock.setblocking(False)
        self.port = self.sock.getsockname()[1]

    def connections(self) -> list:
        """Accept, without waiting, every connection the kernel has queued since the last call."""
        seen = []
        while True:
            try:
                conn, addr = self.sock.accept()
            except BlockingIOError:
                return seen
            seen.append(addr)
            conn.close()

    def close(self) -> None:
        self.sock.close()


class OpenWatch:
    """inotify watch: reports every open or read of the watched files (or of files in watched folders)."""

    IN_ACCESS, IN_OPEN = 0x1, 0x20

    def __init__(self, paths: list[Path]) -> None:
        libc = ctypes.CDLL(None, use_errno=True)
        self.fd = libc.inotify_init1(os.O_NONBLOCK | os.O_CLOEXEC)
        if self.fd < 0:
            raise OSError(ctypes.get_errno(), "inotify_init1 failed")
        self.names: dict[int, Path] = {}
        for path in paths:
            wd = libc.inotify_add_watch(self.fd, os.fsencode(path), self.IN_ACCESS | self.IN_OPEN)
            if wd < 0:
                raise OSError(ctypes.get_errno(), f"inotify_add_watch {path}")
            self.names[wd] = path

    def events(self) -> list[str]:
        found = []
        while True:
            try:
                buf = os.read(self.fd, 65536)
            except BlockingIOError:
                return found
            i = 0
            while i < len(buf):
                wd, mask, _cookie, length = struct.unpack_from("iIII", buf, i)
                name = buf[i + 16 : i + 16 + length].rstrip(b"\0").decode()
                kind = "open" if mask & self.IN_OPEN else "read"
                found.append(f"{kind} {self.names.get(wd)}{'/' + name if name else ''}")
                i += 16 + length

    def close(self) -> None:
        os.close(self.fd)


def pdf_leaks(path: Path) -> list[str]:
    """What in a PDF shows an embedded file or the marker: raw bytes, decoded streams, text."""
    problems = []
    if MARKER.encode() in path.read_bytes():
        problems.append(f"{path.name}: marker in raw bytes")
    with pikepdf.open(path) as pdf:
        names = pdf.Root.get("/Names")
        if names is not None and "/EmbeddedFiles" in names:
            problems.append(f"{path.name}: /EmbeddedFiles in the name tree")
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") in (
                "/EmbeddedFile",
                "/Filespec",
            ):
                problems.append(f"{path.name}: {obj.get('/Type')} object")
            if isinstance(obj, pikepdf.Dictionary) and obj.get("/Subtype") == "/FileAttachment":
                problems.append(f"{path.name}: file attachment annotation")
            if isinstance(obj, pikepdf.Stream):
                try:
                    data = obj.read_bytes()
                except pikepdf.PdfError:
                    data = obj.read_raw_bytes()
                if MARKER.encode() in data:
                    problems.append(f"{path.name}: marker in a decoded stream")
    text = "".join(page.extract_text() or "" for page in PdfReader(path).pages)
    if MARKER in text:
        problems.append(f"{path.name}: marker in the text")
    return problems


def output_leaks(folder: Path) -> list[str]:
    """The marker (or an embedded file) anywhere under `folder`."""
    problems = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        if path.suffix == ".pdf":
            problems += pdf_leaks(path)
        elif MARKER.encode() in path.read_bytes():
            problems.append(f"{path.relative_to(folder)}: marker")
    return problems


# ---------------------------------------------------------------------------------------------------
# A temporary project, its secrets outside it, and the build


@dataclass
class Sandbox:
    base: Path
    listener: Listener
    project: Path = field(init=False)
    outside: Path = field(init=False)
    out: Path = field(init=False)

    def __post_init__(self) -> None:
        self.project = self.base / "project"
        self.outside = self.base / "outside"
        self.out = self.base / "out"
        for name in ("templates", "styles", "content"):
            shutil.copytree(ROOT / name, self.project / name, symlinks=True)
        self.outside.mkdir()
        for ext, text in SECRETS.items():
            (self.outside / f"secret.{ext}").write_text(text, encoding="utf-8")
        (self.project / "styles" / "pixel.png").write_bytes(PIXEL)
        (self.project / "styles" / "extra.css").write_text(".planted-ok { color: black; }\n")

    def secret(self, ext: str) -> Path:
        return self.outside / f"secret.{ext}"

    def build(self) -> subprocess.CompletedProcess:
        """Run the command line on the copy, watching the secrets, as a user would."""
        env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}  # connect directly
        env["TREATYPRESS_ROOT"] = str(self.project)
        watch = OpenWatch([self.outside, *sorted(self.outside.iterdir())])
        try:
            result = subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "treatypress",
                    "build",
                    "--document",
                    "fact-sheet",
                    "--paper",
                    "a4",
                    "--out",
                    str(self.out),
                ],
                cwd=self.project,
                env=env,
                capture_output=True,
                text=True,
                timeout=300,
            )
            result.opened = watch.events()
        finally:
            watch.close()
        result.connections = self.listener.connections()
        return result


@pytest.fixture
def sandbox(tmp_path: Path):
    listener = Listener()
    try:
        yield Sandbox(tmp_path.resolve(), listener)
    finally:
        listener.close()


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{path.name}: expected one {old!r} to plant next to"
    path.write_text(text.replace(old, new), encoding="utf-8")


# Where a reference is planted: (kind of resource, so which secret fits; folder relative URLs start from).
PLACEMENTS = {
    "template-img": ("svg", "."),
    "template-link-stylesheet": ("css", "."),
    "template-link-attachment": ("txt", "."),
    "stylesheet-background-image": ("svg", "styles"),
    "stylesheet-import": ("css", "styles"),
    "stylesheet-font-face": ("ttf", "styles"),
}


def plant(project: Path, placement: str, url: str) -> None:
    """Put one reference to `url` in a template or in styles/fact-sheet.css."""
    assert '"' not in url
    templates, css = project / "templates", project / "styles" / "fact-sheet.css"
    if placement == "template-img":
        _edit(
            templates / "fact-sheet.html.j2",
            "{% block body %}",
            '{% block body %}\n<img src="'
            + url
            + '" alt="planted image" style="position: absolute; width: 1px; height: 1px">',
        )
    elif placement == "template-a-attachment":
        _edit(
            templates / "fact-sheet.html.j2",
            "{% block body %}",
            '{% block body %}\n<a rel="attachment" href="'
            + url
            + '" style="position: absolute">notes</a>',
        )
    elif placement == "template-link-stylesheet":
        _edit(
            templates / "base.html.j2", "</head>", f'<link rel="stylesheet" href="{url}">\n</head>'
        )
    elif placement == "template-link-attachment":
        _edit(
            templates / "base.html.j2", "</head>", f'<link rel="attachment" href="{url}">\n</head>'
        )
    elif placement == "stylesheet-background-image":
        css.write_text(css.read_text() + f'\nbody {{ background-image: url("{url}"); }}\n')
    elif placement == "stylesheet-import":
        css.write_text(f'@import url("{url}");\n' + css.read_text())
    elif placement == "stylesheet-font-face":
        css.write_text(
            css.read_text() + f'\n@font-face {{ font-family: "Planted"; src: url("{url}"); }}\n'
        )
    else:
        raise AssertionError(placement)


def _relative(target: Path, sb: Sandbox, placement: str) -> str:
    """`target` as a relative URL from where `placement` is resolved."""
    start = sb.project / PLACEMENTS.get(placement, ("", "."))[1]
    return os.path.relpath(target, start)


def _nested(inner: str, ext: str) -> str:
    """A data: URI, itself allowed, whose content refers to `inner`."""
    if ext == "svg":
        body = (
            f'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
            f'<image href="{inner}" width="10" height="10"/></svg>'
        )
        return "data:image/svg+xml;base64," + base64.b64encode(body.encode()).decode()
    body = f'@import url("{inner}");'
    return "data:text/css;base64," + base64.b64encode(body.encode()).decode()


def hostile(target: str, placement: str, sb: Sandbox) -> tuple[str, str]:
    """The URL to plant for `target`, and the URL the error message must name."""
    ext = PLACEMENTS[placement][0]
    secret = sb.secret(ext)
    styles = sb.project / "styles"
    if target == "file-absolute":
        return secret.as_uri(), secret.as_uri()
    if target == "dotdot-relative":  # starts inside styles/, then ../../ leads out of the project
        rel = os.path.relpath(secret, styles)
        url = rel if placement.startswith("stylesheet") else f"styles/{rel}"
        assert url.count("../") >= 2
        return url, secret.as_uri()
    if target == "symlink-file":
        link = styles / f"leak.{ext}"
        link.symlink_to(secret)
        return _relative(link, sb, placement), link.as_uri()
    if target == "symlink-folder":
        link = styles / "linked"
        link.symlink_to(sb.outside, target_is_directory=True)
        return _relative(link / secret.name, sb, placement), (link / secret.name).as_uri()
    if target in ("http", "https", "ftp"):
        url = f"{target}://127.0.0.1:{sb.listener.port}/x.{ext}"
        return url, url
    if target == "nested-in-data-file":
        return _nested(secret.as_uri(), ext), secret.as_uri()
    if target == "nested-in-data-http":
        url = f"http://127.0.0.1:{sb.listener.port}/x.{ext}"
        return _nested(url, ext), url
    raise AssertionError(target)


def assert_refused(result: subprocess.CompletedProcess, sb: Sandbox, expected_url: str) -> None:
    """The build failed cleanly, naming URL and document, and nothing was read, fetched or leaked."""
    report = f"stdout:\n{result.stdout}\nstderr:\n{result.stderr}"
    assert result.returncode == 1, report
    assert any(DOCUMENT in line and expected_url in line for line in result.stderr.splitlines()), (
        f"no message naming both {DOCUMENT!r} and {expected_url!r}\n{report}"
    )
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr, report
    assert not (sb.out / PDF).exists(), "a PDF was written for the refused document"
    assert not list(sb.out.rglob("*.pdf")), "a PDF was written"
    assert not list(sb.out.rglob("*.tmp")), "a temporary file was left behind"
    assert_nothing_escaped(result, sb)


def assert_nothing_escaped(result: subprocess.CompletedProcess, sb: Sandbox) -> None:
    assert result.opened == [], f"files outside the project were opened: {result.opened}"
    assert result.connections == [], f"connections were made: {result.connections}"
    assert MARKER not in result.stdout + result.stderr, "the secret's content was printed"
    if sb.out.exists():
        assert output_leaks(sb.out) == []


# ---------------------------------------------------------------------------------------------------
# Command line: one hostile reference at a time

# Every place takes an absolute path outside the project; each other target is tried once in a
# template and once in a stylesheet (the fetcher has one code path per target, whatever asks for it).
CASES = [("file-absolute", p) for p in PLACEMENTS]
CASES += [
    (t, p)
    for t in ("dotdot-relative", "symlink-file", "symlink-folder", "http")
    for p in ("template-img", "stylesheet-import")
]
CASES += [("https", "template-img"), ("ftp", "stylesheet-import")]
# A data: URI is allowed, but not as a wrapper around something that is not.
CASES += [("nested-in-data-file", "template-img"), ("nested-in-data-http", "stylesheet-import")]


@pytest.mark.parametrize(("target", "placement"), CASES, ids=[f"{t}-{p}" for t, p in CASES])
def test_hostile_reference_fails_the_build(sandbox: Sandbox, target: str, placement: str) -> None:
    url, expected = hostile(target, placement, sandbox)
    plant(sandbox.project, placement, url)
    assert_refused(sandbox.build(), sandbox, expected)


def test_attachment_by_anchor_is_refused(sandbox: Sandbox) -> None:
    """<a rel="attachment"> embeds its target like <link rel="attachment"> does."""
    secret = sandbox.secret("txt")
    plant(sandbox.project, "template-a-attachment", secret.as_uri())
    assert_refused(sandbox.build(), sandbox, secret.as_uri())


def test_project_file_outside_styles_is_refused(sandbox: Sandbox) -> None:
    """Only styles/ is served: not content/ or templates/, although they are in the project."""
    plant(sandbox.project, "template-link-attachment", "content/sino-soviet-1950.yaml")
    assert_refused(
        sandbox.build(), sandbox, (sandbox.project / "content/sino-soviet-1950.yaml").as_uri()
    )


def test_file_url_naming_a_host_makes_no_connection(sandbox: Sandbox) -> None:
    """urllib fetches file://host/... by FTP; the sandbox must not."""
    url = f"file://127.0.0.1:{sandbox.listener.port}/x.svg"
    plant(sandbox.project, "template-img", url)
    assert_refused(sandbox.build(), sandbox, url)


@pytest.mark.parametrize(
    "href",
    ["styles/fonts/OFL.txt", "data:text/plain;base64,aGVsbG8="],
    ids=["styles-file", "data-uri"],
)
def test_attachment_link_fails_even_to_an_allowed_target(sandbox: Sandbox, href: str) -> None:
    """The issue lists "an attachment link" among what fails the build: documents embed no files."""
    plant(sandbox.project, "template-link-attachment", href)
    result = sandbox.build()
    assert_refused(
        result, sandbox, href if href.startswith("data:") else (sandbox.project / href).as_uri()
    )


# ---------------------------------------------------------------------------------------------------
# Command line: what is allowed still renders

ALLOWED = [
    ("template-img", PIXEL_URI),
    ("template-img", SVG_URI),
    ("template-img", "styles/alias.png"),  # a symlink inside styles/ to a file inside styles/
    ("stylesheet-font-face", "fonts/NotoSans-Regular.ttf"),
]


@pytest.mark.parametrize(("placement", "url"), ALLOWED, ids=[f"{p}-{u[:22]}" for p, u in ALLOWED])
def test_allowed_reference_renders(sandbox: Sandbox, placement: str, url: str) -> None:
    (sandbox.project / "styles" / "alias.png").symlink_to("pixel.png")
    plant(sandbox.project, placement, url)
    result = sandbox.build()
    assert result.returncode == 0, result.stderr
    assert "warning" not in result.stderr.lower(), result.stderr
    pdf = sandbox.out / PDF
    assert pdf.is_file()
    if placement in ("template-img", "stylesheet-background-image") and url != SVG_URI:
        with pikepdf.open(pdf) as doc:
            images = [
                o
                for o in doc.objects
                if isinstance(o, pikepdf.Stream) and o.get("/Subtype") == "/Image"
            ]
            assert images, "the allowed image was not drawn"
    assert_nothing_escaped(result, sandbox)


# ---------------------------------------------------------------------------------------------------
# The detectors are not blind: WeasyPrint's default fetcher trips every one of them


def test_detectors_see_what_the_default_fetcher_does(sandbox: Sandbox) -> None:
    secret = sandbox.secret("txt")
    watch = OpenWatch([sandbox.outside, secret])
    try:
        html = (
            f'<link rel="attachment" href="{secret.as_uri()}">'
            f'<img src="http://127.0.0.1:{sandbox.listener.port}/x.png"><p>hello</p>'
        )
        data = weasyprint.HTML(string=html, url_fetcher=URLFetcher(timeout=0.5)).write_pdf()
        opened = watch.events()
    finally:
        watch.close()
    out = sandbox.base / "default.pdf"
    out.write_bytes(data)
    assert opened, "inotify saw nothing"
    assert sandbox.listener.connections(), "the listener saw nothing"
    leaks = pdf_leaks(out)
    assert any("/EmbeddedFiles" in leak for leak in leaks) and any(
        "marker" in leak for leak in leaks
    )


# ---------------------------------------------------------------------------------------------------
# SandboxFetcher itself


@pytest.fixture
def tree(tmp_path: Path):
    """project/styles (the allowed root), project/content, styles-evil beside it, and an outside secret."""
    base = tmp_path.resolve()
    styles = base / "project" / "styles"
    (styles / "fonts").mkdir(parents=True)
    (styles / "a.css").write_text("p { color: black; }")
    (styles / "fonts" / "f.ttf").write_bytes(b"font bytes")
    (styles / "alias.css").symlink_to("a.css")
    (base / "project" / "content").mkdir()
    (base / "project" / "content" / "t.yaml").write_text("slug: t")
    (base / "project" / "styles-evil").mkdir()
    (base / "project" / "styles-evil" / "x.css").write_text(MARKER)
    (base / "outside").mkdir()
    (base / "outside" / "secret.txt").write_text(MARKER)
    (styles / "leak.txt").symlink_to(base / "outside" / "secret.txt")
    (styles / "linked").symlink_to(base / "outside", target_is_directory=True)
    return base


def test_fetcher_serves_files_under_its_roots(tree: Path) -> None:
    styles = tree / "project" / "styles"
    fetcher = SandboxFetcher([styles], "doc")
    for url, body in [
        ((styles / "a.css").as_uri(), b"p { color: black; }"),
        ((styles / "fonts" / "f.ttf").as_uri(), b"font bytes"),
        (styles.as_uri() + "/fonts/../a.css", b"p { color: black; }"),
        ((styles / "alias.css").as_uri(), b"p { color: black; }"),
    ]:
        response = fetcher.fetch(url)
        assert response.read() == body, url
    assert fetcher.fetch((styles / "a.css").as_uri()).content_type == "text/css"


def test_fetcher_serves_data_uris(tree: Path) -> None:
    fetcher = SandboxFetcher([tree / "project" / "styles"], "doc")
    assert fetcher.fetch(PIXEL_URI).read() == PIXEL
    assert fetcher.fetch("data:text/plain,hello").read() == b"hello"


def test_forbidden_url_is_fatal_to_weasyprint() -> None:
    assert issubclass(ForbiddenURL, FatalURLFetchingError)


REFUSED = {
    "dotdot": "{styles}/../../outside/secret.txt",
    "dotdot-encoded": "{styles}/%2e%2e/%2E%2E/outside/secret.txt",
    "absolute": "{base}/outside/secret.txt",
    "symlink-file": "{styles}/leak.txt",
    "symlink-folder": "{styles}/linked/secret.txt",
    "sibling-with-same-prefix": "{base}/project/styles-evil/x.css",
    "project-file-outside-styles": "{base}/project/content/t.yaml",
    "missing-file-under-root": "{styles}/missing.css",
    "the-root-folder": "{styles}/",
    "nul-byte": "{styles}/a.css%00.png",
}


@pytest.mark.parametrize("name", REFUSED)
def test_fetcher_refuses_files_outside_its_roots(tree: Path, name: str) -> None:
    styles = tree / "project" / "styles"
    url = "file://" + REFUSED[name].format(styles=styles, base=tree)
    watch = OpenWatch(
        [tree / "outside", tree / "outside" / "secret.txt", tree / "project" / "styles-evil"]
    )
    try:
        with pytest.raises(ForbiddenURL) as caught:
            SandboxFetcher([styles], "my-doc (a4)").fetch(url)
        assert watch.events() == []
    finally:
        watch.close()
    assert url in str(caught.value) and "my-doc (a4)" in str(caught.value)


@pytest.mark.parametrize("scheme", ["http", "https", "ftp", "file-with-host", "gopher", "ws"])
def test_fetcher_refuses_other_schemes_without_connecting(tree: Path, scheme: str) -> None:
    listener = Listener()
    try:
        if scheme == "file-with-host":
            url = f"file://127.0.0.1:{listener.port}/x.css"
        else:
            url = f"{scheme}://127.0.0.1:{listener.port}/x.css"
        with pytest.raises(ForbiddenURL) as caught:
            SandboxFetcher([tree / "project" / "styles"], "my-doc (a4)").fetch(url)
        assert url in str(caught.value) and "my-doc (a4)" in str(caught.value)
        assert listener.connections() == []
    finally:
        listener.close()


@pytest.mark.parametrize(
    "url", ["a.css", "//127.0.0.1/x.css", "javascript:alert(1)", "about:blank"]
)
def test_fetcher_refuses_relative_and_odd_urls(tree: Path, url: str) -> None:
    with pytest.raises(ForbiddenURL):
        SandboxFetcher([tree / "project" / "styles"], "doc").fetch(url)

"""``scrutiny pdf PERIOD``: each rendered paper as a tagged A4 PDF with an outline, printed by headless Chromium.

The papers' print stylesheet decides the page: A4, a page break before each
indicator's section, table rows never cut, link addresses printed, the paper's marking
in the top margin of every page. Chromium is the Debian ``chromium`` package
(``apt-get install -y chromium``; ``make`` installs it); ``SCRUTINY_CHROMIUM`` names
another binary.

Chromium is driven over its DevTools pipe (``--remote-debugging-pipe``, the standard
library only) so that ``Page.printToPDF`` is asked, explicitly, for a tagged PDF
(``generateTaggedPDF``: screen readers can follow headings, lists and tables) with a
document outline (``generateDocumentOutline``: every heading is a bookmark), and so that
the result is checked: a Chromium that ignores either option is refused, not trusted.
Before printing, whitespace inside headings is made explicit (collapsed, then kept as
``white-space-collapse: preserve``) in the browser's copy of the page only, which
changes nothing on the page but stops Chromium dropping the space where a heading wraps
("SCRUTINY DATASET" would otherwise be bookmarked as "SCRUTINYDATASET").

A PDF is always printed from the HTML as it is now, written to a temporary file and
renamed into place (the old PDF stays until the new one is whole), and refused if the
HTML changes while it is being printed. :func:`stale_pdfs` lists PDFs older than the
HTML beside them.
"""

from __future__ import annotations

import base64
import json
import os
import select
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from ..errors import PdfError
from ..files import PRIVATE_MODE, PUBLIC_MODE
from .layout import paths

QUIET = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--no-default-browser-check"]
TIMEOUT = 180  # seconds for one paper, from opening it to the last byte of its PDF

A4_INCHES = (210 / 25.4, 297 / 25.4)  # used only if a page sets no size; the papers say A4 themselves
PRINT = {
    "preferCSSPageSize": True, "paperWidth": A4_INCHES[0], "paperHeight": A4_INCHES[1],
    "printBackground": True,  # as `chromium --print-to-pdf` does: the RAG colours print
    "displayHeaderFooter": False,  # the papers' own @page margin boxes carry marking and page numbers
    "generateTaggedPDF": True, "generateDocumentOutline": True,
    "transferMode": "ReturnAsStream",
}

# Collapse each heading's whitespace as CSS would, then preserve it, so a heading that wraps keeps
# its spaces in the outline. Returns how many headings the page has.
PREPARE = r"""(async () => {
  await document.fonts.ready;
  const headings = document.querySelectorAll("h1, h2, h3, h4, h5, h6");
  for (const h of headings) {
    if (getComputedStyle(h).whiteSpaceCollapse !== "collapse") continue;
    const walker = document.createTreeWalker(h, NodeFilter.SHOW_TEXT);
    const texts = [];
    while (walker.nextNode()) texts.push(walker.currentNode);
    let space = true;
    for (const t of texts) {
      let s = t.data.replace(/[ \t\n\r\f]+/g, " ");
      if (space && s.startsWith(" ")) s = s.slice(1);
      if (s) space = s.endsWith(" ");
      t.data = s;
    }
    const last = texts.reverse().find(t => t.data);
    if (last && last.data.endsWith(" ")) last.data = last.data.slice(0, -1);
    h.style.whiteSpaceCollapse = "preserve";
  }
  return headings.length;
})()"""

# Chromium reads DevTools commands on fd 3 and answers on fd 4: put the pipe ends there, then exec.
_ON_FDS_3_AND_4 = ("import fcntl, os, sys\n"
                   "given = [int(fd) for fd in sys.argv[1:3]]\n"
                   "r, w = (fcntl.fcntl(fd, fcntl.F_DUPFD, 10) for fd in given)\n"
                   "for fd in given: os.close(fd)\n"
                   "os.dup2(r, 3); os.dup2(w, 4); os.close(r); os.close(w)\n"
                   "os.execv(sys.argv[3], sys.argv[3:])\n")


def chromium() -> str:
    named = os.environ.get("SCRUTINY_CHROMIUM")
    if named:
        found = shutil.which(named)
        if not found:
            raise PdfError(f"SCRUTINY_CHROMIUM names {named}, which is not a program that can be run: "
                           "point it at Chromium, or unset it to use `chromium`")
        return found
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if shutil.which(name):
            return shutil.which(name)
    raise PdfError("headless Chromium not found: install it with `apt-get install -y chromium` "
                   "(or set SCRUTINY_CHROMIUM)")


class _Stopped(PdfError):
    """Chromium went away, did not answer in time, or answered a command with an error."""


class _Chromium:
    """One headless Chromium and one page, driven over the DevTools pipe; prints papers one after another."""

    def __init__(self) -> None:
        self.binary = chromium()
        self.version = "Chromium"
        self._profile = tempfile.TemporaryDirectory(prefix="scrutiny-chromium-", ignore_cleanup_errors=True)
        self._stderr = tempfile.TemporaryFile()
        self._buffer = bytearray()
        self._events: list[dict] = []
        self._next_id = 0
        self._deadline = time.monotonic() + 60
        to_chromium, self._out = os.pipe()
        self._in, from_chromium = os.pipe()
        try:
            self._process = subprocess.Popen(
                [sys.executable, "-c", _ON_FDS_3_AND_4, str(to_chromium), str(from_chromium), self.binary,
                 *QUIET, f"--user-data-dir={self._profile.name}", "--remote-debugging-pipe", "about:blank"],
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=self._stderr,
                pass_fds=(to_chromium, from_chromium))
        except OSError as error:
            self._close_pipes()
            self._stderr.close()
            self._profile.cleanup()
            raise PdfError(f"could not start Chromium ({self.binary}): {error}") from None
        finally:
            os.close(to_chromium)
            os.close(from_chromium)
        try:
            self.version = self._call("Browser.getVersion").get("product", self.version)
            target = self._call("Target.createTarget", {"url": "about:blank"})["targetId"]
            self._session = self._call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
            self._call("Page.enable", session=True)
            self._call("Page.setLifecycleEventsEnabled", {"enabled": True}, session=True)
        except _Stopped as why:
            said = self._said()
            self.close()
            raise PdfError(f"Chromium ({self.binary}) did not start: {why}{said}") from None

    def __enter__(self) -> _Chromium:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # the DevTools pipe: JSON messages, each ended by a NUL byte

    def _send(self, method: str, params: dict | None = None, session: bool = False) -> int:
        self._next_id += 1
        message = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = self._session
        data = json.dumps(message).encode() + b"\0"
        try:
            while data:
                data = data[os.write(self._out, data):]
        except OSError:
            raise _Stopped("it stopped") from None
        return self._next_id

    def _receive(self) -> dict:
        while (end := self._buffer.find(b"\0")) < 0:
            left = self._deadline - time.monotonic()
            if left <= 0 or not select.select([self._in], [], [], left)[0]:
                raise _Stopped("it did not answer in time")
            chunk = os.read(self._in, 1 << 20)
            if not chunk:
                raise _Stopped("it stopped")
            self._buffer += chunk
        message = json.loads(self._buffer[:end])
        del self._buffer[:end + 1]
        if message.get("method") in ("Inspector.targetCrashed", "Target.targetCrashed"):
            raise _Stopped("the page crashed (out of memory?)")
        return message

    def _call(self, method: str, params: dict | None = None, session: bool = False) -> dict:
        sent = self._send(method, params, session)
        while True:
            message = self._receive()
            if message.get("id") == sent:
                if "error" in message:
                    raise _Stopped(f"{method} failed: {message['error'].get('message', message['error'])}")
                return message.get("result", {})
            if "method" in message:
                self._events.append(message)

    def _wait_for_load(self, loader: str) -> None:
        def loaded(event: dict) -> bool:
            return (event.get("method") == "Page.lifecycleEvent" and event["params"].get("name") == "load"
                    and event["params"].get("loaderId") == loader)

        while not any(loaded(event) for event in self._events):
            message = self._receive()
            if "method" in message:
                self._events.append(message)
        self._events.clear()

    def _said(self) -> str:
        """The last few things Chromium wrote on stderr, without its usual noise about D-Bus."""
        self._stderr.seek(0)
        lines = [line for line in self._stderr.read().decode("utf-8", "replace").splitlines()
                 if line.strip() and "dbus" not in line and "/usr/bin/chromium:" not in line]
        return (": " + " | ".join(lines[-3:])[-500:]) if lines else ""

    # printing

    def print(self, html: Path, pdf: Path, mode: int, timeout: int = TIMEOUT) -> Path:
        html, pdf = _paper(html), Path(pdf)
        before = _version_of(html)
        pdf.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=pdf.parent, prefix=f".{pdf.name}.", suffix=".tmp")
        try:
            os.chmod(tmp, mode)
            self._deadline = time.monotonic() + timeout
            with os.fdopen(fd, "wb") as out:
                try:
                    headings = self._render(html, out)
                except _Stopped as why:
                    raise PdfError(f"Chromium could not print {html}: {why}{self._said()}") from None
                out.flush()
                os.fsync(out.fileno())
            _check(Path(tmp), html, headings, self.version)
            if _version_of(html) != before:
                raise PdfError(f"{html} changed while it was being printed: print it again")
            os.replace(tmp, pdf)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return pdf

    def _render(self, html: Path, out) -> int:
        navigation = self._call("Page.navigate", {"url": html.as_uri()}, session=True)
        if navigation.get("errorText"):
            raise _Stopped(f"it could not open the file ({navigation['errorText']})")
        self._wait_for_load(navigation["loaderId"])
        prepared = self._call("Runtime.evaluate", {"expression": PREPARE, "awaitPromise": True,
                                                    "returnByValue": True}, session=True)
        if "exceptionDetails" in prepared:
            raise _Stopped(f"the page could not be prepared ({prepared['exceptionDetails'].get('text')})")
        stream = self._call("Page.printToPDF", PRINT, session=True)["stream"]
        while True:
            chunk = self._call("IO.read", {"handle": stream, "size": 1 << 20}, session=True)
            data = chunk.get("data", "")
            out.write(base64.b64decode(data) if chunk.get("base64Encoded") else data.encode("latin-1"))
            if chunk.get("eof"):
                break
        self._call("IO.close", {"handle": stream}, session=True)
        return int(prepared.get("result", {}).get("value") or 0)

    def close(self) -> None:
        process = getattr(self, "_process", None)
        if process is not None and process.poll() is None:
            try:
                self._deadline = time.monotonic() + 5
                self._send("Browser.close")
                process.wait(timeout=10)
            except (_Stopped, subprocess.TimeoutExpired):
                process.kill()
                process.wait()
        self._close_pipes()
        self._stderr.close()
        self._profile.cleanup()

    def _close_pipes(self) -> None:
        for fd in (self._in, self._out):
            try:
                os.close(fd)
            except OSError:
                pass
        self._in = self._out = -1


def _paper(html: Path) -> Path:
    html = Path(html).resolve()
    if not html.is_file():
        raise PdfError(f"{html}: no paper to print (run the month first)")
    return html


def _version_of(path: Path) -> tuple[int, int, int]:
    """What tells one version of a file from the next: inode (a rename), size, modification time."""
    status = path.stat()
    return status.st_ino, status.st_size, status.st_mtime_ns


def _check(tmp: Path, html: Path, headings: int, version: str) -> None:
    """Refuse a PDF that is not whole, not tagged, or (for a page with headings) has no outline."""
    data = tmp.read_bytes()
    if not data.startswith(b"%PDF") or b"%%EOF" not in data[-1024:]:
        raise PdfError(f"Chromium could not print {html}: what it wrote is not a whole PDF")
    missing = [what for what, there in (("tags", b"/StructTreeRoot" in data),
                                        ("an outline", headings == 0 or b"/Outlines" in data)) if not there]
    if missing:
        raise PdfError(f"{version} printed {html} without {' or '.join(missing)}: "
                       "use a newer Chromium (the papers are tested with Chromium 156)")


def print_pdf(html: Path, pdf: Path, mode: int, timeout: int = TIMEOUT) -> Path:
    """Print one HTML paper to a tagged A4 PDF with an outline, written atomically with ``mode``."""
    _paper(html)
    with _Chromium() as browser:
        return browser.print(html, pdf, mode, timeout)


def pdfs_for(part1_html: Path, part2_html: Path) -> list[Path]:
    """Both papers as PDFs beside their HTML, wherever that is (a staged folder too); Part 2 owner-only."""
    part1_html, part2_html = _paper(part1_html), _paper(part2_html)
    with _Chromium() as browser:
        return [browser.print(part1_html, part1_html.with_suffix(".pdf"), PUBLIC_MODE),
                browser.print(part2_html, part2_html.with_suffix(".pdf"), PRIVATE_MODE)]


def pdf_period(period: str, root: Path) -> list[Path]:
    """Both papers of a period as PDFs beside them, from the HTML as it is now (Part 2's under confidential/)."""
    where = paths(Path(root).resolve(), period)
    return pdfs_for(where["part1"], where["part2"])


def stale_pdfs(folder: Path) -> list[Path]:
    """PDFs in ``folder`` or below that are older than the HTML paper beside them (same name, ``.html``)."""
    stale = []
    for pdf in sorted(Path(folder).rglob("*.pdf")):
        html = pdf.with_suffix(".html")
        try:
            if pdf.is_file() and html.is_file() and html.stat().st_mtime_ns > pdf.stat().st_mtime_ns:
                stale.append(pdf)
        except OSError:  # removed while we looked: nothing stale there any more
            continue
    return stale

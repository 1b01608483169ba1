"""``scrutiny pdf PERIOD``: each rendered paper as an A4 PDF, printed by headless Chromium.

The papers' print stylesheet decides the page: A4, a page break before each
indicator's section, table rows never cut, link addresses printed. Chromium is the
Debian ``chromium`` package (``apt-get install -y chromium``; ``make`` installs it);
``SCRUTINY_CHROMIUM`` names another binary.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from ..errors import PdfError
from ..files import PRIVATE_MODE, PUBLIC_MODE
from .layout import paths

QUIET = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--no-default-browser-check"]


def chromium() -> str:
    for name in (os.environ.get("SCRUTINY_CHROMIUM"), "chromium", "chromium-browser", "google-chrome"):
        if name and shutil.which(name):
            return shutil.which(name)
    raise PdfError("headless Chromium not found: install it with `apt-get install -y chromium` "
                   "(or set SCRUTINY_CHROMIUM)")


def print_pdf(html: Path, pdf: Path, private: bool = False, timeout: int = 180) -> Path:
    """Print one HTML file to PDF, atomically (the old PDF stays until the new one is whole)."""
    html, pdf = Path(html).resolve(), Path(pdf)
    if not html.is_file():
        raise PdfError(f"{html}: no paper to print (run the month first)")
    pdf.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=pdf.parent, prefix=f".{pdf.name}.", suffix=".tmp")
    os.close(fd)
    with tempfile.TemporaryDirectory() as profile:
        command = [chromium(), *QUIET, f"--user-data-dir={profile}", "--no-pdf-header-footer",
                   f"--print-to-pdf={tmp}", html.as_uri()]
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    if done.returncode != 0 or not Path(tmp).read_bytes().startswith(b"%PDF"):
        Path(tmp).unlink(missing_ok=True)
        raise PdfError(f"Chromium could not print {html} (exit {done.returncode}): {done.stderr.strip()[-500:]}")
    os.chmod(tmp, PRIVATE_MODE if private else PUBLIC_MODE)
    os.replace(tmp, pdf)
    return pdf


def pdf_period(period: str, root: Path) -> list[Path]:
    """Both papers of a period as PDFs beside them (the confidential one stays under confidential/)."""
    where = paths(Path(root).resolve(), period)
    return [print_pdf(where[part], where[part].with_suffix(".pdf"), private=part == "part2")
            for part in ("part1", "part2")]

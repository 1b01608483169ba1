"""Render an executed notebook into the two committee papers with nbconvert.

The executed notebook carries both papers: every output offers the confidential
HTML and, where it may be published, a public form under ``PUBLIC_MIME``. The
public paper keeps only outputs that offer one, and drops cells tagged
``part2-only``; no code, parameters or error ever reaches either paper.
"""

from __future__ import annotations

import re
from pathlib import Path

import mistune
import nbformat
from nbconvert import HTMLExporter, TemplateExporter
from nbconvert.filters.highlight import Highlight2HTML
from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter
from nbconvert.preprocessors import Preprocessor
from traitlets import Unicode

from ..errors import DisclosureError
from ..files import PRIVATE_MODE, checkpoint, write_atomic
from ..paper.format import SHORTHAND_NAMES
from ..paper.parts import PART1, PART2, PART2_ONLY, PUBLIC_MIME
from .commentary import COMMENTARY_PREFIX, PLACEHOLDER, SUMMARY, SUMMARY_PLACEHOLDER, without_prompt
from .gate import check_html

GUIDE_TAG = "guide"  # the notebook's guide for the analyst: shown in JupyterLab, never in a paper

from .layout import TEMPLATES  # noqa: E402
_IMG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_markdown = mistune.create_markdown(escape=True, plugins=["strikethrough", "table"])


def safe_markdown(source: str) -> str:
    """Markdown to HTML with raw HTML escaped and images dropped (nothing loads from outside).

    >>> safe_markdown("Up **3** <script>x</script>")
    '<p>Up <strong>3</strong> &lt;script&gt;x&lt;/script&gt;</p>\\n'
    """
    return _IMG.sub("", _markdown(source))


# printed at the top of every page
MARKINGS = {PART1: "PART 1 (PUBLIC)",
            PART2: "PART 2 (CONFIDENTIAL): NOT FOR PUBLICATION – exempt information, Local Government Act 1972 "
                   "Schedule 12A paragraphs 1 and 2"}
_TAG_OR_TEXT = re.compile(r"(<[^>]*>)")
_SHORTHAND = re.compile("|".join(re.escape(k) for k in SHORTHAND_NAMES))


def name_shorthand(html: str) -> str:
    """Give every [c], [x], [z] in the page's text an accessible name (attributes are left alone).

    >>> name_shorthand('<td>[c]</td><img alt="[c] withheld">')
    '<td><abbr class="sh" title="confidential: withheld to protect individuals">[c]</abbr></td><img alt="[c] withheld">'
    """
    parts = _TAG_OR_TEXT.split(html)
    inside_abbr = False
    for k, part in enumerate(parts):
        if part.startswith("<"):
            inside_abbr = part.lower().startswith("<abbr") or (inside_abbr and not part.lower().startswith("</abbr"))
            continue
        if not inside_abbr and "[" in part:
            parts[k] = _SHORTHAND.sub(lambda m: f'<abbr class="sh" title="{SHORTHAND_NAMES[m[0]]}">{m[0]}</abbr>',
                                      part)
    return "".join(parts)


class SelectPaper(Preprocessor):
    """Keep what one paper may show: outputs as HTML only, the public form for Part 1."""

    part = Unicode(PART2).tag(config=True)

    def preprocess(self, nb, resources):
        nb.cells = [c for c in nb.cells if GUIDE_TAG not in c.get("metadata", {}).get("tags", [])]
        if self.part == PART1:
            nb.cells = [c for c in nb.cells if PART2_ONLY not in c.get("metadata", {}).get("tags", [])]
        for cell in nb.cells:
            keys = [str(t).removeprefix(COMMENTARY_PREFIX) for t in cell.get("metadata", {}).get("tags", [])
                    if str(t).startswith(COMMENTARY_PREFIX)]
            if keys and cell.cell_type == "markdown":  # the analyst's box becomes the paper's plain placeholder
                box = cell.get("metadata", {}).get("scrutiny", {}).get("box")
                text = without_prompt(cell.source, box if isinstance(box, str) else None)
                cell.source = text if text.strip() else (SUMMARY_PLACEHOLDER if keys[0] == SUMMARY else PLACEHOLDER)
            if cell.cell_type == "code":
                cell.source = ""
                cell.outputs = [o for o in map(self._select, cell.outputs) if o is not None]
        return nb, resources

    def _select(self, output):
        if output.get("output_type") not in ("display_data", "execute_result"):
            return None  # streams and errors never reach a paper
        data = output.get("data", {})
        html = data.get(PUBLIC_MIME) if self.part == PART1 else data.get("text/html")
        if html is None:
            return None
        return nbformat.v4.new_output("display_data", data={"text/html": html})


class PaperExporter(HTMLExporter):
    """nbconvert's HTML exporter without its last pass, which parses the whole page with BeautifulSoup (half a
    second a paper) to put alt text on images that lack it and tabindex on JupyterLab's cells: the paper's
    template has no such cells, and every chart carries its own alt text (``charts.img_tag``; axe-core checks
    each paper in ``tests/e2e/test_browser.py``)."""

    def from_notebook_node(self, nb, resources=None, **kw):
        self.register_filter("highlight_code", Highlight2HTML(pygments_lexer="ipython3", parent=self))
        resources = self._init_resources(resources)
        self.register_filter("filter_data_type", WidgetsDataTypeFilter(notebook_metadata=self._nb_metadata,
                                                                       parent=self, resources=resources))
        return TemplateExporter.from_notebook_node(self, nb, resources, **kw)


def render_html(nb, part: str, title: str, draft: bool = False) -> str:
    exporter = PaperExporter(
        template_name="scrutiny_paper",
        extra_template_basedirs=[str(TEMPLATES)],
        exclude_input=True,
        filters={"safe_markdown": safe_markdown},
        optimistic_validation=True,  # the notebook validated once, after every preprocessor, not after each
    )
    exporter.environment.tests["match_commentary"] = lambda tag: str(tag).startswith("commentary:")
    exporter.register_preprocessor(SelectPaper(part=part), enabled=True)
    resources = {"scrutiny": {"title": title, "part": part, "css": (TEMPLATES / "paper.css").read_text(),
                              "marking": ("DRAFT – " if draft else "") + MARKINGS[part], "draft": draft}}
    body, _ = exporter.from_notebook_node(nb, resources=resources)
    return name_shorthand(body)


def render_papers(notebook_path: Path, part1_path: Path, part2_path: Path, title: str, draft: bool = False) -> None:
    """Render both papers from one executed notebook (each written atomically)."""
    nb = nbformat.read(notebook_path, as_version=4)
    prefix = "DRAFT: " if draft else ""
    part2 = render_html(nbformat.from_dict(nb), PART2, f"{prefix}{title} (Part 2, confidential)", draft)
    part1 = render_html(nbformat.from_dict(nb), PART1, f"{prefix}{title} (Part 1, public)", draft)
    problems = check_html(part1, commentary=False)
    if problems:  # the last safeguard: a public paper that fails the check is never written
        raise DisclosureError("The public paper was not written: " + "; ".join(problems[:10]))
    write_atomic(part2_path, part2, PRIVATE_MODE)
    checkpoint("part2-written")  # the fault tests kill a run here: between the two papers
    write_atomic(part1_path, part1)

"""The notebook's façade: the paper's model with one method per section.

The notebook calls :func:`open_paper` with its parameters, then one method per
section. Each returns a :class:`~scrutiny.paper.html.Section` carrying both papers'
forms in one output (see :mod:`scrutiny.paper.parts`); the public form is left out
where the public paper withholds an indicator's figures.
"""

from __future__ import annotations

from ..config.catalogue import load_catalogue
from ..config.params import validate_params
from ..data.validate import load_extract
from . import sections
from .html import Section
from .model import PaperModel
from .parts import PART1, PART2


class Paper(PaperModel):
    """One month's paper: the model, and each section in both papers' forms."""

    def _both(self, section, *args) -> Section:
        return Section(section(self, PART2, *args), section(self, PART1, *args))

    def cover(self) -> Section:
        return self._both(sections.cover)

    def introduction(self) -> Section:
        return self._both(sections.introduction)

    def commentary_opening(self) -> Section:
        return self._both(sections.commentary_opening)

    def exception(self, indicator_id: str) -> Section:
        # public unless the public paper withholds its figures (an indicator reported by exception too)
        public = None if self.outturn(indicator_id).withheld() else sections.exception(self, PART1, indicator_id)
        return Section(sections.exception(self, PART2, indicator_id), public)

    def implications(self) -> Section:
        return self._both(sections.implications)

    def scorecard(self) -> Section:
        return self._both(sections.scorecard)

    def trends(self) -> Section:
        return self._both(sections.trends)

    def appendix(self) -> Section:
        return self._both(sections.appendix)

    def data_quality(self) -> Section:
        return self._both(sections.data_quality)

    def key(self) -> Section:
        return self._both(sections.key)

    def breakdown_table(self, indicator_id: str, part: str = PART2) -> str:
        return sections.breakdown_table(self, part, indicator_id)


def open_paper(**parameters) -> Paper:
    """Validate the notebook's parameters, load the extract and catalogue, compute everything."""
    params = validate_params(parameters, "notebook parameters")
    return Paper(params, load_extract(params.data), load_catalogue(params.catalogue))

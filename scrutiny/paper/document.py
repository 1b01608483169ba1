"""The notebook's façade: the paper's model with one method per section.

The notebook calls :func:`open_paper` with its parameters, then one method per
section. Each returns a :class:`~scrutiny.paper.html.Section` carrying both papers'
forms in one output (see :mod:`scrutiny.paper.parts`); the public form is left out
where the public paper withholds an indicator's figures.
"""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

from ..config.catalogue import load_catalogue
from ..config.params import DEFAULTS, load_params, validate_params
from ..data.periods import Period
from ..errors import ParamsError
from ..data.validate import load_extract
from . import sections, variation
from .facts import Facts, Shown
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

    def signal_sentence(self, indicator_id: str, part: str = PART2) -> str:
        """What the indicator's control chart shows, in one sentence ('' where there is no chart reading)."""
        c = self.outturn(indicator_id).control(part)
        return "" if c is None else variation.sentence(c.result, self.outturn(indicator_id).definition,
                                                         list(c.periods))

    def breakdown_table(self, indicator_id: str, part: str = PART2) -> str:
        return sections.breakdown_table(self, part, indicator_id)

    def facts(self, known: set[str]) -> Facts:
        """What a run needs of this paper besides the notebook (:mod:`.facts`); ``known``: the ids commentary
        may be about."""
        public = self.public_ids()
        return Facts(tuple(
            Shown(o.definition.id, o.definition.number, o.definition.title, o.rag(PART1).value, o.rag(PART2).value,
                  o.definition.id in public,
                  # the public paper's reading where the words appear in public: Part 2's could give a withheld
                  # month away
                  self.signal_sentence(o.definition.id, PART1 if o.definition.id in public else PART2),
                  {"numerator": o.public[-1].numerator, "denominator": o.public[-1].denominator,
                   "value": o.public[-1].value})
            for o in self.outturns), tuple(sorted(known)))


_OPENED: dict[str, Paper] = {}  # the paper each month's notebook opened in this kernel
_HANDED: list[Paper] = []  # the paper the run executing this notebook in its own process has built


def _same_inputs(a, b) -> bool:
    """The same parameters, paths compared as the folders and files they name (one may be relative)."""
    def key(params):
        out = params.model_dump()
        for name in ("data", "catalogue", "benchmarks", "published"):
            if out[name]:
                out[name] = str(Path(out[name]).resolve())
        return out

    return key(a) == key(b)


@contextmanager
def handed_over(paper: Paper | None):
    """While a run executes its notebook in its own process: the setup cell takes ``paper``, not a new one,
    when the notebook's parameters are the ones it was built from (the paper is not built twice)."""
    _HANDED[:] = [paper] if paper is not None else []
    try:
        yield
    finally:
        _HANDED.clear()


def forget_opened() -> None:
    """Forget the papers notebooks opened in this process (the next notebook shares nothing with the last)."""
    _OPENED.clear()


def open_paper(**parameters) -> Paper:
    """Validate the notebook's parameters, load the extract and catalogue, compute everything."""
    params = validate_params(parameters, "notebook parameters")
    if _HANDED and _same_inputs(_HANDED[0].params, params):
        paper = _HANDED[0]
    else:
        paper = Paper(params, load_extract(params.data), load_catalogue(params.catalogue))
    _OPENED[params.period] = paper
    return paper


def paper_for(period: str) -> Paper:
    """The month's paper, for a notebook cell that needs no other cell to have run.

    The paper this kernel already opened for the month (the notebook's setup cell), or, in a
    fresh kernel (an analyst pressing Shift+Enter on one cell in JupyterLab), the paper opened
    from the project's ``params/<period>.yaml``, found from the working folder upwards.
    """
    period = str(Period.parse(period))
    if period not in _OPENED:
        here = Path.cwd().resolve()
        found = next((d / "params" / f"{period}.yaml" for d in (here, *here.parents)
                      if (d / "params" / f"{period}.yaml").is_file() or (d / "params" / DEFAULTS).is_file()), None)
        if found is None:
            raise ParamsError(f"params/{period}.yaml: not found in {here} or any folder above it; open the "
                              "notebook from inside its project folder", key="period")
        params = load_params(found)
        _OPENED[period] = Paper(params, load_extract(params.data), load_catalogue(params.catalogue))
    return _OPENED[period]

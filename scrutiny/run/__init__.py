"""Turning a month into files: notebooks executed, papers rendered, words kept.

* :mod:`~scrutiny.run.execute`: ``scrutiny run`` and ``scrutiny plan`` through papermill;
* :mod:`~scrutiny.run.notebook`: the shipped notebooks and their prepared cells;
* :mod:`~scrutiny.run.render`: nbconvert into Part 1 and Part 2 (templates in ``templates/``);
* :mod:`~scrutiny.run.gate`: the check every public paper passes before it is written;
* :mod:`~scrutiny.run.commentary`: the commentary store (harvest, reconcile, carry forward);
* :mod:`~scrutiny.run.index`, :mod:`~scrutiny.run.pdf`, :mod:`~scrutiny.run.layout`: the
  index of public papers, PDF printing, where a month's files live.

Imports: everything before it; only the command line imports from here.
"""

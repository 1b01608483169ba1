"""What members read: the paper's model, its sections, and the pieces they are made of.

* :mod:`~scrutiny.paper.model`: the month's figures in both papers' forms (data, no HTML);
* :mod:`~scrutiny.paper.sections`: each section as a function of (model, part);
* :mod:`~scrutiny.paper.document`: the notebook's façade, :func:`~scrutiny.paper.document.open_paper`;
* :mod:`~scrutiny.paper.parts`: the two papers and how an output is marked public;
* :mod:`~scrutiny.paper.html`, :mod:`~scrutiny.paper.format`, :mod:`~scrutiny.paper.charts`:
  shared HTML pieces, numbers and shorthand, charts;
* :mod:`~scrutiny.paper.plan`: the improvement plan paper (it does not use the performance paper).

Imports: data, indicators, config, assess; never run.
"""

"""The two papers one executed notebook carries (imports nothing).

This is the contract between the paper, which offers each output in both forms, and
the renderer (:mod:`scrutiny.run.render`), which keeps the form its paper may show:

* ``text/html``: the confidential (Part 2) paper, what the analyst sees in Jupyter;
* ``PUBLIC_MIME``: the public (Part 1) paper, suppressed.

An output without the public form, or a cell tagged ``PART2_ONLY``, never reaches Part 1.
"""

PART1, PART2 = "part1", "part2"
PUBLIC_MIME = "application/vnd.scrutiny.part1+html"
PART2_ONLY = "part2-only"  # tag on cells the public paper leaves out

"""Judging the figures and deciding what the public may see.

* :mod:`~scrutiny.assess.rating`: RAG against a target or range, direction of travel,
  and the rounding members see (halves away from zero);
* :mod:`~scrutiny.assess.suppress`: primary suppression; the small-number range is
  defined here once;
* :mod:`~scrutiny.assess.disclosure`: secondary suppression of tables with totals, its
  integer-programming audit, and small numbers in commentary;
* :mod:`~scrutiny.assess.across_time`: year-to-date differencing, revisions against the
  ledger of published figures;
* :mod:`~scrutiny.assess.benchmarks`: the DfE's published figures for England, region,
  statistical neighbours and the authority.

Imports: errors, files, data, indicators, config; never paper or run.
"""

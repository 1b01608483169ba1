"""The extract: what the case-management system gives us, read and checked (``spec/data.md``).

* :mod:`~scrutiny.data.schema`: the contract's tables, columns and codes, as data;
* :mod:`~scrutiny.data.codes`: the national code lists' descriptions (``codes.yaml``), for labels;
* :mod:`~scrutiny.data.load`: reading the CSV files and checking their structure (a
  problem stops everything, naming file, row and column);
* :mod:`~scrutiny.data.checks`: the dates, numbers and unique keys every file's rows are checked for;
* :mod:`~scrutiny.data.cache` and :mod:`~scrutiny.data.fingerprint`: an unchanged extract kept, by what it is;
* :mod:`~scrutiny.data.validate`: checking records (a bad record is left out and listed),
  and :func:`~scrutiny.data.validate.load_extract`, which does both;
* :mod:`~scrutiny.data.periods`: month ends, ages, windows and working days;
* :mod:`~scrutiny.data.synth`: a synthetic extract for the demo and tests.

Imports: :mod:`scrutiny.errors` only; nothing here knows about indicators or papers.
"""

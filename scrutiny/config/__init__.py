"""The project's own files, validated: they say what to compute and how the papers read.

* :mod:`~scrutiny.config.params`: one month's parameters (``params/YYYY-MM.yaml``);
* :mod:`~scrutiny.config.catalogue`: the year's indicators, targets and tolerances
  (``params/catalogue/YYYY-YY.yaml``), and the catalogues in force across annual reviews;
* :mod:`~scrutiny.config.plan`: the improvement plan (``params/improvement_plan/YYYY-YY.yaml``);
* :mod:`~scrutiny.config.validation`: the one formatter of validation messages (file, key, problem);
* :mod:`~scrutiny.config.yaml_files`: reading YAML with errors that name the file.

Imports: :mod:`scrutiny.errors`, :mod:`scrutiny.data` (periods) and
:mod:`scrutiny.indicators` (a catalogue entry names a registered indicator).
"""

DEFAULTS = "defaults.yaml"  # params/defaults.yaml: what every month shares (a name only: this imports nothing)

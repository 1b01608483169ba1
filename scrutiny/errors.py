"""Errors the command line turns into a clear message and a non-zero exit (light to import)."""


class RunFailed(RuntimeError):
    """The notebook failed; no HTML was written and the failed notebook was kept."""


class DisclosureError(RuntimeError):
    """The public paper failed its disclosure check; it was not written."""


class PlanError(ValueError):
    """The improvement plan file is not valid; the message names the action and field."""

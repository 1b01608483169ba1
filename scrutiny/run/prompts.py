"""The box a commentary cell shows in the notebook until the analyst writes: never kept, never in a paper."""

from __future__ import annotations

PROMPT_MARK = "> ✍ **Write here:"  # the box's first line


def prompt(what: str, where: str, start: str = "", period: str = "") -> str:
    """The box a commentary cell shows in the notebook until the analyst writes: what to write about, which
    paper it will appear in, and the control chart's reading to start from. It never reaches a paper.

    >>> print(prompt("Indicator 8: Re-referrals (Red)", "It will appear in both papers."))
    > ✍ **Write here: Indicator 8: Re-referrals (Red)**
    >
    > It will appear in both papers.
    >
    > Replace this box with your commentary (double-click to edit), save with Ctrl+S, then run `scrutiny run` again.
    """
    lines = [f"{PROMPT_MARK} {what}**", ">", f"> {where}"]
    if start:
        lines += [">", f"> The chart shows: {start}"]
    run = f"`scrutiny run {period}`" if period else "`scrutiny run`"
    lines += [">", f"> Replace this box with your commentary (double-click to edit), save with Ctrl+S, then run "
                   f"{run} again."]
    return "\n".join(lines)


def without_prompt(source: str, box: str | None) -> str:
    """The cell's text with the box the run wrote (``box``) taken off, where it is still there unchanged.

    The analyst may write below the box rather than replace it. A box the analyst edited is
    kept whole, words and all: nothing typed is ever thrown away.

    >>> box = prompt("Indicator 8", "Both papers.")
    >>> without_prompt(box + "\\n\\nReferrals rose in May.", box)
    'Referrals rose in May.'
    >>> without_prompt(box.replace("Both papers.", "Both papers: rose in May."), box).startswith(PROMPT_MARK)
    True
    """
    if not box or not source.startswith(box):
        return source
    return source[len(box):].lstrip("\n")

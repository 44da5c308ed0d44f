"""Figure builder for the chapters on culture and on security: the steps of treaties in time.

A treaty runs from signature through parliamentary votes and ratification to the exchange of
instruments; :func:`plot_treaty_steps` draws one row per treaty and one marker per step, the
kind of step told apart by marker shape and fill as well as colour, so that it reads in greyscale.
"""

from __future__ import annotations

import re

import matplotlib.pyplot as plt
import pandas as pd

from .style import PALETTE, add_source_line

#: One style per kind of step: label, marker, colour, filled (an open marker prints as white).
STEP_STYLES = {
    "signed_by_delegations": ("Agreed by government delegations", "o", PALETTE[2], False),
    "signed": ("Signed", "o", PALETTE[0], True),
    "approved_by_parliament": ("Approved by a parliament chamber", "s", PALETTE[1], False),
    "ratified": ("Ratification law signed", "s", PALETTE[4], True),
    "instruments_exchanged": ("Instruments exchanged", "D", PALETTE[0], True),
    "entered_into_force": ("Entered into force", "*", PALETTE[4], True),
}


#: Where a country code goes relative to its marker, in turn, so that close steps stay legible.
LABEL_OFFSETS = [(0, 8), (0, -9), (0, 17), (0, -18)]


def wrap_label(label: str, width: int = 24) -> str:
    """A long axis label on several lines of at most about ``width`` characters, broken at
    spaces and after dashes (Kyrgyzstan–Tajikistan–Uzbekistan), so it does not eat the plot."""
    words = re.findall(r"[^\s–]+–?|–", label)
    lines: list[str] = []
    for word in words:
        joiner = "" if lines and lines[-1].endswith("–") else " "
        if lines and len(lines[-1]) + len(joiner) + len(word) <= width:
            lines[-1] += joiner + word
        else:
            lines.append(word)
    return "\n".join(lines)


def plot_treaty_steps(steps: pd.DataFrame, treaty_order: list[str], treaty_labels: dict[str, str],
                      title: str, source: str, since_signature: bool = False) -> plt.Figure:
    """One row per treaty (top to bottom in ``treaty_order``), one marker per dated step.

    ``steps`` has columns ``treaty_id``, ``action`` (a key of :data:`STEP_STYLES`), ``date``
    (``datetime.date``) and ``country_id`` (empty for joint steps); a country step is labelled
    with its country code. Rows without a date are left out (the chapter lists them).
    With ``since_signature`` the x axis counts days from each treaty's signature, so that
    treaties years apart can be compared by how fast they went through.
    """
    dated = steps[steps["date"].notna()]
    fig, ax = plt.subplots(figsize=(7.2, 0.62 * len(treaty_order) + 2.2))
    for row, treaty in enumerate(treaty_order):
        own = dated[dated["treaty_id"] == treaty].sort_values("date")
        if own.empty:
            continue
        signed = own.loc[own["action"] == "signed", "date"]
        origin = pd.Timestamp(signed.min() if not signed.empty else own["date"].min())
        xs = [(pd.Timestamp(d) - origin).days if since_signature else pd.Timestamp(d)
              for d in own["date"]]
        ax.plot([min(xs), max(xs)], [row, row], color="#999999", linewidth=1, zorder=1)
        labelled = 0
        for x, (_, step) in zip(xs, own.iterrows()):
            label, marker, colour, filled = STEP_STYLES[step["action"]]
            ax.plot(x, row, marker=marker, markersize=9, linestyle="none", zorder=3,
                    color=colour if filled else "white", markeredgecolor="black"
                    if filled else colour, markeredgewidth=1.6)
            if isinstance(step["country_id"], str) and step["country_id"]:
                dx, dy = LABEL_OFFSETS[labelled % len(LABEL_OFFSETS)]
                labelled += 1
                ax.annotate(step["country_id"], (x, row), xytext=(dx, dy),
                            textcoords="offset points", ha="center",
                            va="bottom" if dy > 0 else "top", fontsize=7)
    for action in [a for a in STEP_STYLES if a in set(dated["action"])]:
        label, marker, colour, filled = STEP_STYLES[action]
        ax.plot([], [], marker=marker, markersize=8, linestyle="none", label=label,
                color=colour if filled else "white",
                markeredgecolor="black" if filled else colour, markeredgewidth=1.6)
    ax.set_yticks(range(len(treaty_order)),
                  [wrap_label(treaty_labels.get(t, t)) for t in treaty_order])
    ax.set_ylim(len(treaty_order) - 0.4, -0.6)
    ax.grid(True, axis="x", color="#e4e4e4")
    if since_signature:
        ax.axvline(0, color="#555555", linewidth=0.8, linestyle="--", zorder=0)
        ax.set_xlabel("Days after signature (negative: before it)")
    else:
        ax.set_xlabel("Date of the step (year)")
    ax.set_ylabel("Treaty")
    ax.set_title(title)
    # The legend goes below the axis label and above the source line, never over the title;
    # the treaty names are wrapped so that the plotting area keeps its width.
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12 - 0.25 / len(treaty_order)),
              ncol=3, fontsize=8)
    add_source_line(fig, source)
    return fig

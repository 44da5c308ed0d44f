"""The book's figure style: one palette that reads in greyscale and for colour-blind readers,
fixed country colours and markers, and the source line under every figure."""

from __future__ import annotations

from pathlib import Path

import matplotlib as mpl
import matplotlib.pyplot as plt

STYLE_PATH = Path(__file__).with_name("book.mplstyle")

#: Qualitative palette ordered so that neighbours differ in lightness as well as hue
#: (Okabe-Ito hues, chosen for colour-vision deficiencies; checked in greyscale by the tests).
PALETTE = ["#0b2e59", "#e69f00", "#2b7bba", "#f0e442", "#7a3a00", "#8fd4f0"]

#: Each participant keeps its colour, marker and line style in every figure of the book,
#: so that a reader can tell the countries apart without colour.
COUNTRY_STYLE = {
    "KAZ": {"color": "#2b7bba", "marker": "o", "linestyle": "-"},
    "KGZ": {"color": "#e69f00", "marker": "s", "linestyle": "--"},
    "TJK": {"color": "#0b2e59", "marker": "^", "linestyle": "-."},
    "TKM": {"color": "#7a3a00", "marker": "D", "linestyle": ":"},
    "UZB": {"color": "#8fd4f0", "marker": "v", "linestyle": (0, (5, 1))},
    "AZE": {"color": "#f0e442", "marker": "P", "linestyle": (0, (1, 1))},
}

#: Figure outputs: SVG with text kept as text (sharp, light), with no date or software
#: version in the file, so that two builds produce the same bytes.
SVG_METADATA = {"Creator": None, "Date": None, "Format": None, "Type": None}


def use_book_style() -> None:
    """Apply the book's matplotlib style and make notebook figures reproducible SVG."""
    plt.style.use(STYLE_PATH)
    mpl.rcParams["axes.prop_cycle"] = mpl.cycler(color=PALETTE)
    try:
        from matplotlib_inline.backend_inline import set_matplotlib_formats
    except ImportError:  # not inside IPython: nothing to configure
        return
    set_matplotlib_formats("svg", metadata=SVG_METADATA)


def add_source_line(fig: plt.Figure, text: str) -> None:
    """Write ``Source: text`` under the figure, left-aligned, so the figure carries its source
    when it is copied out of the book."""
    fig.text(0.0, -0.02, f"Source: {text}", ha="left", va="top", fontsize=8, color="#444444",
             wrap=True)


def relative_luminance(hex_colour: str) -> float:
    """WCAG relative luminance of a colour (0 black, 1 white): its lightness in greyscale."""
    channels = [int(hex_colour.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

"""Explorable figures: a figure the reader drives with a slider, computed when the book is built.

A chapter computes one figure per value of a parameter (the spectral radius, a weight, ...) and
hands the list of ``(value, Figure)`` pairs to :func:`explorable`. The result shows itself in the
HTML book (and in Jupyter) as a labelled slider over the frames: the frames are PNG images
embedded in the page, switched by a few lines of JavaScript written into the same HTML, so it
plays with no server, no kernel and nothing fetched from the network. The slider is an
``<input type="range">``: the arrow keys, Home, End and Page Up/Down move it, and each frame comes
with its own alt text. Where HTML cannot be shown (the PDF, a static notebook viewer) the object
is one PNG, the frame at ``start``, drawn at the book's resolution.

Page weight: each frame is rendered at :data:`FRAME_DPI` (the text column's width on a desktop
screen) and reduced to a palette of at most :data:`FRAME_COLOURS` colours, which the flat
colours of the book's figures survive: 10 to 20 kB per frame, a fifth of the full-colour PNG.
"""

from __future__ import annotations

import base64
import html
import io
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from matplotlib.figure import Figure
from PIL import Image

from rnnbook.plot.figure import to_png

FRAME_DPI = 140
"""Resolution of the frames the slider shows: 812 pixels across, the text column's width on a
1280-pixel screen."""

FRAME_COLOURS = 256
"""The most colours a frame keeps (a PNG palette): the book's lines and labels keep their
colours, a colour map its gradations."""

# The player: a few lines over the frames, in the HTML itself (nothing to load, also in Jupyter).
# `document.currentScript` is the script element, so each figure finds its own elements without
# ids (two builds give the same bytes; one page may hold several figures).
_PLAYER = """(function () {
  var root = document.currentScript.parentElement;
  var data = JSON.parse(root.querySelector('script[type="application/json"]').textContent);
  var img = root.querySelector('img'), input = root.querySelector('input'),
      out = root.querySelector('output');
  function show() {
    var i = Number(input.value);
    img.src = 'data:image/png;base64,' + data.frames[i];
    img.alt = data.alts[i];
    out.textContent = data.values[i];
    input.setAttribute('aria-valuetext', data.label + ' = ' + data.values[i]);
  }
  input.addEventListener('input', show);
  show();
})();"""


@dataclass(frozen=True, repr=False)
class Explorable:
    """A figure with one frame per value of a parameter, and a slider to choose among them.

    Made by :func:`explorable`; displays itself as HTML (``_repr_html_``) or, where HTML is not
    shown, as the PNG of frame ``start`` (``_repr_png_``).

    Attributes
    ----------
    label : str
        What the slider sets, e.g. ``"spectral radius ρ"``.
    values : tuple of str
        The parameter's value of each frame, as the slider shows it.
    frames : tuple of bytes
        One PNG per value, at :data:`FRAME_DPI`.
    alts : tuple of str
        The alt text of each frame.
    start : int
        The frame shown first, and the one shown where HTML is not.
    still : bytes
        The PNG of frame ``start`` at the book's resolution.
    """

    label: str
    values: tuple[str, ...]
    frames: tuple[bytes, ...]
    alts: tuple[str, ...]
    start: int
    still: bytes

    def __repr__(self) -> str:
        return f"<explorable figure: {self.label}, {len(self.frames)} frames>"

    @property
    def kilobytes(self) -> float:
        """What the figure adds to its page, in kB (the HTML with its frames)."""
        return len(self.to_html().encode()) / 1000

    def to_html(self) -> str:
        """The figure as a self-contained HTML fragment: image, slider, frames and player."""
        data = {"label": self.label, "values": list(self.values), "alts": list(self.alts),
                "frames": [base64.b64encode(f).decode("ascii") for f in self.frames]}
        first = base64.b64encode(self.frames[self.start]).decode("ascii")
        # "</" cannot end the JSON's script element early: JSON allows "<\/" for it.
        payload = json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("</",
                                                                                       "<\\/")
        return (
            '<div class="rnnbook-explorable">'
            f'<img src="data:image/png;base64,{first}" alt="{html.escape(self.alts[self.start])}"'
            ' style="width: 100%; height: auto">'
            # Styled inline, so that it looks the same in the book and in Jupyter.
            '<label class="rnnbook-explorable-control" style="display: flex; gap: 0.75em;'
            ' align-items: center; margin: 0.25em 0">'
            f'<span>{html.escape(self.label)}</span>'
            f'<input type="range" min="0" max="{len(self.frames) - 1}" step="1"'
            f' value="{self.start}" style="flex: 1; min-width: 6em"'
            f' aria-valuetext="{html.escape(self.label)} = {html.escape(self.values[self.start])}">'
            f'<output style="min-width: 3em; font-variant-numeric: tabular-nums">'
            f'{html.escape(self.values[self.start])}</output></label>'
            f'<script type="application/json">{payload}</script>'
            f"<script>{_PLAYER}</script>"
            "</div>"
        )

    def _repr_html_(self) -> str:
        return self.to_html()

    def _repr_png_(self) -> bytes:
        return self.still


def frame_png(fig: Figure, dpi: float = FRAME_DPI, colours: int = FRAME_COLOURS) -> bytes:
    """Render ``fig`` as a small palette PNG, the same bytes every time.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
    dpi : float, default :data:`FRAME_DPI`
    colours : int, default :data:`FRAME_COLOURS`
        At most 256.

    Returns
    -------
    bytes
        A PNG with a palette of at most ``colours`` colours and no metadata.
    """
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, facecolor="white", metadata={"Software": None})
    buffer.seek(0)
    with Image.open(buffer) as image:
        palette = image.convert("RGB").quantize(colors=colours, method=Image.Quantize.FASTOCTREE,
                                                dither=Image.Dither.NONE)
    out = io.BytesIO()
    palette.save(out, format="PNG", optimize=True)
    return out.getvalue()


def explorable(frames: Sequence[tuple[object, Figure]], *, label: str,
               alt: Callable[[object], str] | Sequence[str], start: int = 0,
               fmt: str = "{}") -> Explorable:
    """An explorable figure: one frame per value of a parameter, chosen with a slider.

    Parameters
    ----------
    frames : sequence of (value, Figure)
        The parameter's values in the slider's order, each with the figure drawn for it. The
        figures are rendered here; they may be discarded afterwards.
    label : str
        What the slider sets, shown next to it and read out by screen readers.
    alt : callable or sequence of str
        The alt text of each frame: a function of the value, or one text per frame.
    start : int, default 0
        The frame shown first, and the only one where HTML is not shown (PDF, plain viewers).
    fmt : str, default "{}"
        How the slider shows a value: ``fmt.format(value)``.

    Returns
    -------
    Explorable

    Examples
    --------
    >>> from rnnbook.plot.figure import new_figure
    >>> def line(slope):
    ...     fig, ax = new_figure(height=2.0)
    ...     _ = ax.plot([0, 1], [0, slope])
    ...     return fig
    >>> fig = explorable([(s, line(s)) for s in (0.5, 1.0, 2.0)], label="slope",
    ...                  alt=lambda s: f"A straight line rising with slope {s} from the origin.",
    ...                  start=1)
    >>> fig
    <explorable figure: slope, 3 frames>
    >>> fig.values, fig.start
    (('0.5', '1.0', '2.0'), 1)
    """
    if len(frames) < 2:
        raise ValueError(f"frames: an explorable figure needs at least 2 frames, got "
                         f"{len(frames)}")
    if not isinstance(label, str) or not label:
        raise ValueError("label: say what the slider sets, e.g. 'spectral radius ρ'")
    if not isinstance(start, int) or not 0 <= start < len(frames):
        raise ValueError(f"start: expected a frame index in [0, {len(frames) - 1}], "
                         f"got {start!r}")
    for i, pair in enumerate(frames):
        if not (isinstance(pair, tuple) and len(pair) == 2 and isinstance(pair[1], Figure)):
            raise TypeError(f"frames: expected (value, Figure) pairs, got {type(pair).__name__} "
                            f"at index {i}")
    values = [value for value, _ in frames]
    alts = [alt(v) for v in values] if callable(alt) else list(alt)
    if len(alts) != len(frames) or not all(isinstance(a, str) and a.strip() for a in alts):
        raise ValueError(f"alt: expected one non-empty text per frame ({len(frames)}), got "
                         f"{len(alts)}")
    return Explorable(label=label, values=tuple(fmt.format(v) for v in values),
                      frames=tuple(frame_png(fig) for _, fig in frames), alts=tuple(alts),
                      start=start, still=to_png(frames[start][1]))

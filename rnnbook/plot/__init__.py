"""Every figure of the book: each a function that draws what a chapter computed, as a Figure.

The figures are :class:`matplotlib.figure.Figure` objects built without pyplot, so nothing here
touches global plotting state; in Jupyter they display themselves as PNG. Save one with
``fig.savefig("name.png")``. They draw; they do not compute: a chapter computes with rnnbook
(:mod:`rnnbook.rnn`, :mod:`rnnbook.dynamics`, :mod:`rnnbook.pca`, :mod:`rnnbook.smoothing`, ...)
and passes the results. Size, type, colours and line styles come from
:mod:`rnnbook.plot.style`.

One module per chapter: ``memory`` (1), ``state`` (2), ``patterns`` (3), ``bptt`` (4),
``gradients`` (5), ``gated_cells`` and ``gated`` (6 and 7), ``long_range`` (8), ``language`` (9),
``classification`` (10), ``translation`` (11), ``captioning`` (12), ``packing`` (13); the diagrams
of chapters 2 to 4 are built from the primitives of ``diagram`` and the unrolled chain of ``chain``.
``explore`` turns a list of figures, one per value of a parameter, into an explorable figure the
reader drives with a slider.
"""

from rnnbook.plot.bptt import bptt_diagram, bptt_time_memory_curves, truncation_error_curves
from rnnbook.plot.captioning import captioned_images, word_accuracy
from rnnbook.plot.classification import (
    accuracy_by_length,
    confusion_matrix,
    digit_sequences,
    learning_curves,
)
from rnnbook.plot.explore import explorable
from rnnbook.plot.figure import BookFigure, to_png
from rnnbook.plot.gated import curves, gate_heatmaps, seed_dots
from rnnbook.plot.gated_cells import gru_cell_diagram, lstm_cell_diagram
from rnnbook.plot.gradients import (
    error_wall,
    gradient_norm_curves,
    saturation,
    training_curves,
)
from rnnbook.plot.language import language_learning_curves, loss_by_position, next_character
from rnnbook.plot.long_range import long_range_curves, solved_against_length
from rnnbook.plot.memory import final_states, memory_learning_curves
from rnnbook.plot.packing import packed_sequence_diagram
from rnnbook.plot.patterns import bar_images, pattern_diagrams, pattern_learning_curves
from rnnbook.plot.state import (
    activation_functions,
    activation_ranges,
    rolled_and_unrolled,
    state_heatmap,
)
from rnnbook.plot.translation import (
    alignments,
    training_with_and_without_teacher,
    translation_by_length,
)

__all__ = [
    "BookFigure",
    "accuracy_by_length",
    "activation_functions",
    "activation_ranges",
    "alignments",
    "bar_images",
    "bptt_diagram",
    "bptt_time_memory_curves",
    "captioned_images",
    "confusion_matrix",
    "curves",
    "digit_sequences",
    "error_wall",
    "explorable",
    "final_states",
    "gate_heatmaps",
    "gradient_norm_curves",
    "gru_cell_diagram",
    "language_learning_curves",
    "learning_curves",
    "long_range_curves",
    "loss_by_position",
    "lstm_cell_diagram",
    "memory_learning_curves",
    "next_character",
    "packed_sequence_diagram",
    "pattern_diagrams",
    "pattern_learning_curves",
    "rolled_and_unrolled",
    "saturation",
    "seed_dots",
    "solved_against_length",
    "state_heatmap",
    "to_png",
    "training_curves",
    "training_with_and_without_teacher",
    "translation_by_length",
    "truncation_error_curves",
    "word_accuracy",
]

"""Check your own implementations against rnnbook's, with explanations when they differ.

Each chapter's code exercises end with a line such as::

    from rnnbook import exercises
    exercises.check("state_update", my_state_update)   # True, or an AssertionError saying why

The checker runs your function on several inputs, edge cases included (one time step, a batch of
one), compares with the reference, and when they differ says on which input, what was expected
and what came back, with a hint when the answer matches a common mistake. Your function takes
the arguments of the reference; :func:`describe` prints its signature.
"""

from rnnbook.exercises import (  # noqa: F401  (each registers its checks)
    bptt_step,
    cell,
    gated,
    gradients,
    language,
    long_range,
    masking,
    memory,
    patterns,
    seq2seq,
)
from rnnbook.exercises._core import ExerciseError, available, check, describe

__all__ = ["ExerciseError", "available", "check", "describe"]

"""Showing training progress where a person is watching, and nowhere else.

A reader who retrains a model at home waits; :func:`rnnbook.train.fit` then shows a progress bar
(tqdm, which draws a widget in a notebook and a line in a terminal) with the steps done, the loss,
the steps per second and the time left. The book's build and the test suite must print nothing,
so that every page is reproducible: :func:`wanted` decides.

``progress="auto"`` shows the bar when someone can see it: in a terminal (standard error is a
TTY) or in a Jupyter kernel, unless the environment variable :data:`ENVIRONMENT_VARIABLE` says
otherwise (``RNNBOOK_PROGRESS=0`` turns it off, ``1`` on) or pytest is running a test. The book's
``conf.py`` sets ``RNNBOOK_PROGRESS=0`` for the kernels that execute the chapters.
"""

from __future__ import annotations

import os
import sys
import warnings
from typing import Any

ENVIRONMENT_VARIABLE = "RNNBOOK_PROGRESS"
"""``0``, ``false``, ``no`` or ``off`` hide every progress bar; ``1``, ``true``, ``yes`` or ``on``
show them; unset, ``progress="auto"`` decides from where the code runs."""

_OFF = ("0", "false", "no", "off", "")
_ON = ("1", "true", "yes", "on")


def wanted(progress: object) -> bool:
    """Whether to show a progress bar: ``True``, ``False``, or ``"auto"`` (see the module).

    Parameters
    ----------
    progress : bool or "auto"

    Returns
    -------
    bool

    Examples
    --------
    >>> wanted(False), wanted(True)
    (False, True)
    >>> wanted("auto")   # under pytest: off
    False
    """
    if isinstance(progress, bool):
        return progress
    if progress != "auto":
        raise ValueError(f"progress must be True, False or 'auto'; got {progress!r}")
    setting = os.environ.get(ENVIRONMENT_VARIABLE)
    if setting is not None:
        value = setting.strip().lower()
        if value not in _OFF + _ON:
            raise ValueError(f"{ENVIRONMENT_VARIABLE} must be one of "
                             f"{', '.join(repr(v) for v in _OFF + _ON if v)}; got {setting!r}")
        return value in _ON
    if "PYTEST_CURRENT_TEST" in os.environ:        # set by pytest while a test runs
        return False
    return _terminal() or _notebook()


def _terminal() -> bool:
    stream = sys.stderr
    return stream is not None and hasattr(stream, "isatty") and stream.isatty()


def _notebook() -> bool:
    """True inside a Jupyter kernel (IPython with a kernel attached)."""
    shell = sys.modules.get("IPython")
    if shell is None:
        return False
    ip = shell.get_ipython()
    return ip is not None and getattr(ip, "kernel", None) is not None


def bar(steps: int, show: bool) -> Any:
    """A tqdm bar of ``steps`` steps, or ``None`` when it is not shown (tqdm not even imported)."""
    if not show:
        return None
    with warnings.catch_warnings():
        # Without ipywidgets, tqdm.auto warns once and draws a text line, which is just as good.
        warnings.simplefilter("ignore")
        from tqdm.auto import tqdm  # type: ignore[import-untyped]  # widget or terminal line

    return tqdm(total=steps, unit="step", dynamic_ncols=True, desc="training")

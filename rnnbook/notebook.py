r"""Chapter cells that need an optional library: run where it is installed, noted where it is not.

A chapter that shows PyTorch code must still build where PyTorch is not installed (its CPU wheel
alone is hundreds of megabytes, and the book needs none of it to teach the rest), and its cells
must still read as plain PyTorch: no ``if`` around every line, no special syntax. One hidden cell
at the top of the chapter does it::

    from rnnbook import notebook
    HAVE_TORCH = notebook.optional("torch", install="pip install torch==2.13.0", label="PyTorch")

Where ``torch`` imports, that is all: every cell runs as written. Where it does not (or the
environment variable ``RNNBOOK_NO_TORCH=1`` hides it, to try the other case without
uninstalling anything), :func:`optional` registers an IPython AST transformer
(:class:`CellSkipper`) that looks at each later cell before it runs. A cell *needs* the library
if it imports it, or reads a name that a cell which needed it would have defined; such a cell is
not run, and prints one line instead (:func:`note`). The names it would have defined join the
unavailable ones, so whatever is built on them is skipped in turn, and nothing else: a cell that
needs nothing from the library runs as usual, and a mistyped name still fails with a
``NameError``. A cell that reads the flag (``HAVE_TORCH``) always runs: it is the place for
hidden cells that decide for themselves, for instance to record a result or a "not run" text.

Names are followed in the order Python evaluates them, scope by scope (``state = step(state)``
reads ``state``; a parameter hides an unavailable name of the same name), except for two rare
forms: a star import (``from torch import *``) and ``global`` statements.
"""

from __future__ import annotations

import ast
import importlib
import os
from typing import Any

from rnnbook import _names

ENVIRONMENT_PREFIX = "RNNBOOK_NO_"
"""``RNNBOOK_NO_<NAME>=1`` (``RNNBOOK_NO_TORCH=1``) makes :func:`optional` act as if the library
``<name>`` were not installed."""

def variable(module: str) -> str:
    """The environment variable that hides ``module``: ``"torch"`` gives ``"RNNBOOK_NO_TORCH"``.

    Parameters
    ----------
    module : str

    Returns
    -------
    str
    """
    return ENVIRONMENT_PREFIX + module.upper().replace(".", "_")


def hidden(module: str) -> bool:
    """Whether the environment hides ``module`` (its :func:`variable` is set to ``"1"``).

    Parameters
    ----------
    module : str

    Returns
    -------
    bool
    """
    return os.environ.get(variable(module)) == "1"


def available(module: str) -> bool:
    """Whether ``module`` can be used here: it imports, and the environment does not hide it.

    Parameters
    ----------
    module : str
        An importable name, such as ``"torch"``.

    Returns
    -------
    bool
    """
    if hidden(module):
        return False
    try:
        importlib.import_module(module)
    except ImportError:
        return False
    return True


def note(module: str, *, install: str, label: str | None = None) -> str:
    """The line a cell prints instead of running, when ``module`` is missing or hidden.

    Parameters
    ----------
    module : str
    install : str
        The command that installs it, as a reader would type it.
    label : str, optional
        The library's name in prose ("PyTorch"); ``module`` if not given.

    Returns
    -------
    str
        One line that starts with ``"Not run: "`` and says why and how to run the cell.

    Examples
    --------
    >>> line = note("xyz", install="pip install xyz")
    >>> line.startswith("Not run: xyz is not installed in this build (pip install xyz, then ")
    True
    """
    name = label or module
    if hidden(module):
        return (f"Not run: {variable(module)}=1 hides {name} in this build (unset it, then "
                f"rebuild to run this cell).")
    return (f"Not run: {name} is not installed in this build ({install}, then rebuild to run "
            f"this cell).")


def imports(tree: ast.Module, module: str) -> bool:
    """Whether the code imports ``module`` or a submodule of it, anywhere.

    Parameters
    ----------
    tree : ast.Module
    module : str

    Returns
    -------
    bool
    """
    def ours(name: str | None) -> bool:
        return name is not None and (name == module or name.startswith(module + "."))

    for node in ast.walk(tree):
        if isinstance(node, ast.Import) and any(ours(a.name) for a in node.names):
            return True
        if isinstance(node, ast.ImportFrom) and node.level == 0 and ours(node.module):
            return True
    return False


class CellSkipper(ast.NodeTransformer):
    """An IPython AST transformer that replaces each cell needing a missing module by a note.

    :func:`optional` registers one; it is public so that a test or a reader can see how a cell
    will be treated (:meth:`needs`).

    Parameters
    ----------
    module : str
        The missing module, ``"torch"``.
    note : str
        What a skipped cell prints (:func:`note`).
    flag : str
        A cell that reads this name always runs (``"HAVE_TORCH"``).

    Attributes
    ----------
    unavailable : set of str
        The names no cell may read: the module's own name, then every name a skipped cell
        binds. A cell that runs and binds one makes it available again.
    """

    def __init__(self, module: str, note: str, flag: str) -> None:
        self.module, self.note, self.flag = module, note, flag
        self.unavailable: set[str] = {module.partition(".")[0]}

    def needs(self, tree: ast.Module) -> bool:
        """Whether the cell needs the module: it imports it or reads an unavailable name (and
        does not read the flag)."""
        free, _ = _names.scan(tree.body)
        if self.flag in free:
            return False
        return imports(tree, self.module) or bool(free & self.unavailable)

    def visit_Module(self, node: ast.Module) -> ast.Module:
        """Return the cell unchanged, or a cell that prints the note; keep track of names."""
        _, bound = _names.scan(node.body)
        if self.needs(node):
            self.unavailable |= bound
            return ast.parse(f"print({self.note!r})")
        self.unavailable -= bound
        return node


def optional(module: str, *, install: str, label: str | None = None, flag: str | None = None,
             shell: Any = None) -> bool:
    """Use ``module`` if it is here; if not, make the cells that need it print a note instead.

    Call it once, in a (hidden) cell before the cells that use ``module``.

    Parameters
    ----------
    module : str
        The optional library, ``"torch"``.
    install : str
        How to install it, for the note: ``"pip install torch==2.13.0"``.
    label : str, optional
        Its name in prose, ``"PyTorch"``; ``module`` if not given.
    flag : str, optional
        The name of the variable the caller assigns the result to; cells that read it always
        run. Default ``"HAVE_" + module.upper()``, such as ``"HAVE_TORCH"``.
    shell : InteractiveShell, optional
        IPython's shell, whose later cells are watched; default the running one. Outside
        IPython (a plain script) nothing is watched and the result alone tells what to do.

    Returns
    -------
    bool
        True if ``module`` is :func:`available`. Then the cells run as written (and a skipper
        registered by an earlier call for the same module is removed).
    """
    if shell is None:
        try:
            from IPython import get_ipython
        except ImportError:  # not in IPython: nothing to watch
            return available(module)
        shell = get_ipython()
    have = available(module)
    if shell is not None:
        shell.ast_transformers[:] = [t for t in shell.ast_transformers
                                     if not (isinstance(t, CellSkipper) and t.module == module)]
        if not have:
            flag = flag or "HAVE_" + module.upper().replace(".", "_")
            skipper = CellSkipper(module, note(module, install=install, label=label), flag)
            shell.ast_transformers.append(skipper)
    return have

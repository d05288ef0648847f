"""Which code and which library versions drew the book.

Every figure and number in the book is computed when the book is built. The book's execution
cache is keyed on :func:`cache_key`, so changing any file of rnnbook (or upgrading numpy or
matplotlib) re-executes every chapter instead of reusing outputs drawn by older code, and the
build-information appendix prints the key and :func:`versions` so a reader can see which code
drew what they read. PyTorch is part of the key too: installing it (or hiding it with
``RNNBOOK_NO_TORCH=1``, :mod:`rnnbook.notebook`) changes what the chapters that use it print, so
the pages built without it are not reused.
"""

from __future__ import annotations

import hashlib
import platform
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from rnnbook import notebook

PACKAGE_DIR = Path(__file__).resolve().parent

DISTRIBUTIONS: tuple[str, ...] = ("numpy", "matplotlib", "sphinx", "myst-nb", "sphinx-book-theme",
                                  "torch")
"""The libraries whose versions :func:`versions` reports, besides Python."""


def source_hash() -> str:
    """A short SHA-256 of rnnbook's source and data files (their paths and bytes).

    Returns
    -------
    str
        12 hexadecimal digits; any change to any file of the package changes it.
    """
    digest = hashlib.sha256()
    for path in sorted(PACKAGE_DIR.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(path.relative_to(PACKAGE_DIR).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def versions() -> dict[str, str]:
    """The versions of Python and of :data:`DISTRIBUTIONS` in this environment.

    Returns
    -------
    dict of str to str
        ``{"python": "3.11.7", "numpy": "2.4.6", ...}``; "not installed" where one is missing.
    """
    found = {"python": platform.python_version()}
    for name in DISTRIBUTIONS:
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            found[name] = "not installed"
    return found


def cache_key() -> str:
    """The name of the book's execution-cache folder: the source hash and the numeric libraries.

    Returns
    -------
    str
        ``"<source_hash>-py<python>-numpy<v>-matplotlib<v>-torch<v>"``, where the torch version
        is ``none`` if PyTorch is not installed or ``RNNBOOK_NO_TORCH=1`` hides it.
    """
    v = versions()
    torch = "none" if v["torch"] == "not installed" or notebook.hidden("torch") else v["torch"]
    return (f"{source_hash()}-py{v['python']}-numpy{v['numpy']}-matplotlib{v['matplotlib']}"
            f"-torch{torch}")

r"""Text as a stream of integers: the corpus every reader already has, its symbols, its split.

A character-level language model reads text one character at a time. To a network a character is
an integer, its index in the *vocabulary*, the sorted set of characters the text uses (V of them,
the letter of the notation page). :func:`vocabulary`, :func:`encode` and :func:`decode` go between
the two.

The book trains on a corpus that is already on every reader's machine and is downloaded from
nowhere: the documentation topics that Python's own ``help()`` shows (``help("assert")``, ...),
shipped with the standard library as ``pydoc_data.topics``. It is about 465,000 characters of
English prose about Python, with code examples, grammar rules and tables, written by the Python
documentation authors and distributed under the Python Software Foundation License. Its text
depends on the Python version (the book prints the version it was built with):
:func:`python_docs` returns it as it is, :func:`split` cuts it into training, validation and test
text, deterministically.

Letters: V vocabulary size, N characters.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np
from numpy.typing import NDArray

from rnnbook import _checks


def python_docs() -> dict[str, str]:
    """The documentation topics of this Python, by topic name, in alphabetical order.

    Returns
    -------
    dict of str to str
        ``pydoc_data.topics.topics``: the text ``help(topic)`` prints for each topic
        (``"assert"``, ``"assignment"``, ..., ``"yield"``), about 80 of them.

    Examples
    --------
    >>> topics = python_docs()
    >>> topics["assert"].splitlines()[0]
    'The "assert" statement'
    """
    from pydoc_data.topics import topics  # the standard library's, read on first use

    return {name: topics[name] for name in sorted(topics)}


@dataclass(frozen=True)
class Vocabulary:
    """The characters a model can read and write; a character's position is its index.

    Parameters
    ----------
    symbols : str
        V distinct characters, in the order of their indices.

    Examples
    --------
    >>> v = vocabulary("hello")
    >>> v.symbols, v.size
    ('ehlo', 4)
    """

    symbols: str

    def __post_init__(self) -> None:
        if not isinstance(self.symbols, str) or not self.symbols:
            raise TypeError(f"symbols must be a non-empty str of distinct characters; "
                            f"got {self.symbols!r}")
        if len(set(self.symbols)) != len(self.symbols):
            twice = sorted({c for c in self.symbols if self.symbols.count(c) > 1})
            raise ValueError(f"symbols must be distinct characters; {twice!r} occur twice")

    @property
    def size(self) -> int:
        """V, the number of characters."""
        return len(self.symbols)


def vocabulary(text: str) -> Vocabulary:
    """The sorted set of characters of ``text``.

    Parameters
    ----------
    text : str
        Non-empty.

    Returns
    -------
    Vocabulary
    """
    if not isinstance(text, str) or not text:
        raise TypeError(f"text must be a non-empty str; got {type(text).__name__} "
                        f"{'(empty)' if text == '' else ''}".rstrip())
    return Vocabulary("".join(sorted(set(text))))


def encode(text: str, vocab: Vocabulary) -> NDArray[np.int64]:
    """The index of every character of ``text`` in ``vocab``.

    Parameters
    ----------
    text : str
    vocab : Vocabulary
        Must hold every character of ``text``.

    Returns
    -------
    ids : int64 ndarray of shape (N,)

    Examples
    --------
    >>> encode("hole", vocabulary("hello"))
    array([1, 3, 2, 0])
    """
    _checks.instance(vocab, "vocab", Vocabulary, "a corpus.Vocabulary")
    if not isinstance(text, str):
        raise TypeError(f"text must be a str; got {type(text).__name__}")
    index = {c: i for i, c in enumerate(vocab.symbols)}
    missing = sorted(set(text) - index.keys())
    if missing:
        raise ValueError(f"text has characters that are not in vocab: {''.join(missing)!r}")
    return np.fromiter((index[c] for c in text), dtype=np.int64, count=len(text))


def decode(ids: NDArray[np.integer[Any]] | list[int], vocab: Vocabulary) -> str:
    """The text whose character indices are ``ids``: the inverse of :func:`encode`.

    Parameters
    ----------
    ids : integer ndarray of shape (N,)
        Indices in ``[0, V)``.
    vocab : Vocabulary

    Returns
    -------
    str

    Examples
    --------
    >>> decode([1, 3, 2, 0], vocabulary("hello"))
    'hole'
    """
    _checks.instance(vocab, "vocab", Vocabulary, "a corpus.Vocabulary")
    arr = np.asarray(ids)
    if arr.ndim != 1 or (arr.size and arr.dtype.kind not in "iu"):
        raise TypeError(f"ids must be a 1-d array of integer character indices; got dtype "
                        f"{arr.dtype} and shape {_checks.shape_str(arr.shape)}")
    if arr.size and (arr.min() < 0 or arr.max() >= vocab.size):
        bad = arr.min() if arr.min() < 0 else arr.max()
        raise ValueError(f"ids must lie in [0, V) = [0, {vocab.size}); got {bad}")
    return "".join(vocab.symbols[int(i)] for i in arr)


class Split(NamedTuple):
    """A text cut into three contiguous parts: to train on, to choose with, to report on."""

    train: str
    validation: str
    test: str


def split(topics: Mapping[str, str], fractions: tuple[float, float] = (0.8, 0.1)) -> Split:
    r"""Join the topics in alphabetical order and cut the text into three contiguous blocks.

    Parameters
    ----------
    topics : mapping of str to str
        Topic name to text, such as :func:`python_docs` returns.
    fractions : (float, float), default (0.8, 0.1)
        The shares of the characters for training and validation; the test text is the rest.

    Returns
    -------
    Split
        The training text is the first ``fractions[0]`` of the characters, the validation text
        the next ``fractions[1]``, the test text the rest; each cut is moved forward to just after
        the next line break, so that no line is shared by two parts.

    Notes
    -----
    The topics are joined with a blank line between them. Contiguous blocks keep every part a
    stretch of real text, as a model meets it, and keep the parts apart: the held-out text is
    never seen in training, not even as the other half of a shared line.

    Examples
    --------
    >>> parts = split({"b": "line 3\nline 4\n", "a": "line 1\nline 2\n"}, (0.5, 0.25))
    >>> parts.train, parts.validation, parts.test
    ('line 1\nline 2\n\n', 'line 3\n', 'line 4\n')
    """
    if not isinstance(topics, Mapping) or not topics:
        raise TypeError(f"topics must be a non-empty mapping of topic name to text; "
                        f"got {type(topics).__name__}")
    if not all(isinstance(v, str) for v in topics.values()):
        raise TypeError("topics must map each topic name to its text, a str")
    if (not isinstance(fractions, tuple) or len(fractions) != 2
            or not all(isinstance(f, float) and 0.0 < f < 1.0 for f in fractions)
            or sum(fractions) >= 1.0):
        raise ValueError(f"fractions must be two floats in (0, 1), for training and "
                         f"validation, with a sum below 1; got {fractions!r}")
    text = "\n".join(topics[name] for name in sorted(topics))
    cuts = []
    for share in (fractions[0], sum(fractions)):
        at = int(share * len(text))
        newline = text.find("\n", at)
        cuts.append(len(text) if newline < 0 else newline + 1)
    parts = Split(text[: cuts[0]], text[cuts[0]: cuts[1]], text[cuts[1]:])
    for name, part in parts._asdict().items():
        if not part:
            raise ValueError(f"fractions {fractions!r} leave the {name} text empty: the text has "
                             f"{len(text)} characters in {text.count(chr(10))} lines, and each "
                             f"cut moves to the end of its line")
    return parts

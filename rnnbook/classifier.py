r"""Sequence classification: a recurrent encoder, its summary of each sequence, and a readout.

The many-to-one pattern of chapter 3 :eq:`eq-patterns-many-to-one` for real data, whose sequences
may differ in length and whose encoder may be deep or bidirectional::

    model = init("gru", input_size=8, hidden_size=32, classes=10, seed=0)
    loss, grads = loss_and_grads(model, xs, targets, lengths)   # for rnnbook.train.fit
    accuracy(model, xs, targets, lengths)

The encoder is a :class:`rnnbook.stack.Params`: one layer or several, each a cell or a
bidirectional pair. It reads a padded batch; its summary of sequence b is the top layer's last
real state (:func:`rnnbook.stack.final`), and the readout turns the summary into one score per
class :eq:`eq-classify-readout`. Training runs the fast cells (:mod:`rnnbook.fast`, equal to the
plain ones to 1e-12); the book shows the plain code they compute.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from rnnbook import _checks, _tree, losses, masking, readout, stack
from rnnbook.types import Array, Seed, as_generator


@dataclass(frozen=True, eq=False)  # arrays have no single truth value: compare fields
class Model:
    """A recurrent encoder and the readout of its summary.

    Parameters
    ----------
    encoder : stack.Params
        One layer or several (:func:`rnnbook.stack.init`).
    out : readout.Params
        Its ``W_hy`` has as many columns as the encoder's output size.
    """

    encoder: stack.Params
    out: readout.Params

    def __post_init__(self) -> None:
        _checks.instance(self.encoder, "encoder", stack.Params, "a stack.Params")
        _checks.instance(self.out, "out", readout.Params, "a readout.Params")
        if self.out.W_hy.shape[1] != self.encoder.output_size:
            raise ValueError(
                f"out.W_hy must have shape (K, {self.encoder.output_size}), the output size of "
                f"encoder; got {_checks.shape_str(self.out.W_hy.shape)}"
            )

    @property
    def size(self) -> int:
        """The number of parameters, encoder and readout."""
        return sum(int(a.size) for _, a in _tree.named_arrays(self))


def init(kind: str, input_size: int, hidden_size: int, classes: int, *, layers: int = 1,
         bidirectional: bool = False, seed: Seed = None, **options: Any) -> Model:
    """A fresh classifier: :func:`rnnbook.stack.init`, then :func:`rnnbook.readout.init`.

    Parameters
    ----------
    kind : {"rnn", "lstm", "gru"}
    input_size, hidden_size : int
        D, and H of every layer (of every direction).
    classes : int
        K, the number of classes.
    layers : int, default 1
    bidirectional : bool, default False
    seed : int, numpy.random.Generator or None
    **options
        Passed to the cell's ``init``.

    Returns
    -------
    Model

    Examples
    --------
    >>> model = init("lstm", input_size=8, hidden_size=4, classes=10, seed=0)
    >>> model.size   # 4 x (4 x 8 + 4 x 4 + 4) for the LSTM, 10 x 4 + 10 for the readout
    258
    """
    rng = as_generator(seed)
    encoder = stack.init(kind, input_size, hidden_size, layers=layers,
                         bidirectional=bidirectional, seed=rng, **options)
    K = _checks.positive_int(classes, "classes")
    return Model(encoder, readout.init(encoder.output_size, K, seed=rng))


def logits(model: Model, xs: Array, lengths: ArrayLike | None = None, *,
           fast: bool = True) -> Array:
    r"""The class scores of every sequence: :math:`y = W_{hy} s + b_y`, s the summary.

    Parameters
    ----------
    model : Model
    xs : ndarray of shape (T, B, D)
        Padded at the end.
    lengths : array_like of int, shape (B,), optional
        ``None`` means T for all.
    fast : bool, default True
        Run the cells of :mod:`rnnbook.fast`.

    Returns
    -------
    ndarray of shape (B, K)
    """
    _checks.instance(model, "model", Model, "a classifier.Model")
    hs, _ = stack.forward(model.encoder, xs, lengths, fast=fast)      # (T, B, H_top)
    summary = stack.final(model.encoder, hs, lengths)                 # (B, H_top)
    return readout.forward(model.out, summary)                        # (B, K)


def loss_and_grads(model: Model, xs: Array, targets: NDArray[Any],
                   lengths: ArrayLike | None = None, *,
                   fast: bool = True) -> tuple[float, Model]:
    r"""The mean cross-entropy of a batch and its gradient for every parameter of ``model``.

    Parameters
    ----------
    model : Model
    xs : ndarray of shape (T, B, D)
        Padded at the end.
    targets : integer ndarray of shape (B,)
        The class of every sequence.
    lengths : array_like of int, shape (B,), optional
        ``None`` means T for all.
    fast : bool, default True
        Run the cells of :mod:`rnnbook.fast` (the same results, sooner).

    Returns
    -------
    loss : float
    grads : Model

    Notes
    -----
    Forward: the encoder's states, the summary :math:`s_b` read at each sequence's real end, the
    scores :math:`y_b = W_{hy} s_b + b_y`, the loss. Backward in reverse: the loss gives
    :math:`\partial L/\partial y`, the readout :math:`\partial L/\partial s`, which enters the
    top layer's states at the steps the summary was read from (and nowhere else), and BPTT
    through the stack does the rest.

    Examples
    --------
    >>> model = init("gru", input_size=2, hidden_size=3, classes=4, seed=0)
    >>> xs, targets, lengths = np.ones((5, 6, 2)), np.arange(6) % 4, [5, 4, 3, 2, 1, 5]
    >>> loss, grads = loss_and_grads(model, xs, targets, lengths)
    >>> grads.encoder.layers[0].W_hz.shape, grads.out.W_hy.shape
    ((3, 3), (4, 3))
    """
    _checks.instance(model, "model", Model, "a classifier.Model")
    xs = _checks.float_array(xs, "xs", ndim=3, layout="(T, B, D)")
    T, B = xs.shape[:2]
    lengths = masking.check_lengths(lengths, T, B)
    hs, cache = stack.forward(model.encoder, xs, lengths, fast=fast)  # (T, B, H_top)
    summary = stack.final(model.encoder, hs, lengths)                 # (B, H_top)
    ys = readout.forward(model.out, summary)                          # (B, K)
    loss, dys = losses.softmax_cross_entropy(ys, targets)
    g_out, d_summary = readout.backward(model.out, summary, dys)      # (B, H_top)
    dhs = stack.final_backward(model.encoder, d_summary, lengths, T)  # (T, B, H_top)
    g_encoder, _ = stack.backward(model.encoder, cache, dhs, fast=fast)
    return loss, Model(g_encoder, g_out)


def predict(model: Model, xs: Array, lengths: ArrayLike | None = None) -> NDArray[np.int64]:
    """The most likely class of every sequence.

    Parameters
    ----------
    model : Model
    xs : ndarray of shape (T, B, D)
    lengths : array_like of int, shape (B,), optional

    Returns
    -------
    ndarray of int64, shape (B,)
    """
    classes: NDArray[np.int64] = np.argmax(logits(model, xs, lengths), axis=-1).astype(np.int64)
    return classes


def accuracy(model: Model, xs: Array, targets: ArrayLike,
             lengths: ArrayLike | None = None) -> float:
    """The fraction of sequences whose most likely class is the target.

    Parameters
    ----------
    model : Model
    xs : ndarray of shape (T, B, D)
    targets : integer array_like of shape (B,)
    lengths : array_like of int, shape (B,), optional

    Returns
    -------
    float in [0, 1]
    """
    predicted = predict(model, xs, lengths)
    targets = np.asarray(targets)
    _checks.expect_shape(targets, "targets", predicted.shape, "(B,)", "(one class per sequence)")
    return float(np.mean(predicted == targets))


def confusion_matrix(targets: ArrayLike, predicted: ArrayLike, classes: int) -> NDArray[np.int64]:
    """How often each class was taken for each other: row = true class, column = predicted.

    Parameters
    ----------
    targets, predicted : integer array_like of shape (N,)
        Classes in ``[0, classes)``.
    classes : int
        K.

    Returns
    -------
    ndarray of int64, shape (K, K)
        Entry (i, j) counts the sequences of class i predicted as j; the diagonal counts the
        right answers, each row sums to the number of sequences of its class.

    Examples
    --------
    >>> confusion_matrix([0, 0, 1, 1], [0, 1, 1, 1], classes=2)
    array([[1, 1],
           [0, 2]])
    """
    K = _checks.positive_int(classes, "classes")
    true, pred = np.asarray(targets), np.asarray(predicted)
    for name, arr in (("targets", true), ("predicted", pred)):
        if arr.dtype.kind not in "iu" or arr.ndim != 1:
            raise TypeError(f"{name} must be a 1-d array of class indices; got dtype "
                            f"{arr.dtype}, shape {_checks.shape_str(arr.shape)}")
        if arr.size and (arr.min() < 0 or arr.max() >= K):
            raise ValueError(f"{name} must lie in [0, {K}); got {arr.min()}..{arr.max()}")
    _checks.expect_shape(pred, "predicted", true.shape, "(N,)", "(one per target)")
    counts = np.zeros((K, K), dtype=np.int64)
    np.add.at(counts, (true, pred), 1)                                # one count per sequence
    return counts

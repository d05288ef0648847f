r"""Image captioning: image features set the initial state of a decoder that writes the caption.

The design of CS231n's captioning assignment, after Vinyals et al.'s *Show and Tell* (2015) and
Karpathy & Fei-Fei (2015): a feature vector :math:`f` of the image (a convolutional network's, in
their case; here the pixels themselves) passes through an affine layer into the decoder's
initial hidden state, and the decoder (:mod:`rnnbook.decoder`) writes the caption word by word:

.. math::
    h'_0 = W_{img} f + b_{img}, \qquad c'_0 = 0 .

The caption depends on the image through :math:`h'_0` only: remove the features and the decoder
writes from :math:`b_{img}` alone, what its language has taught it. *Show and Tell* feeds the
image as the decoder's first input instead of its state; the exercises try that too. Letters: F
features, H hidden units, V words, T steps, B images.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from rnnbook import _checks, decoder, initializers
from rnnbook.types import Array, Seed, as_generator


@dataclass(frozen=True, eq=False)  # arrays have no single truth value: compare fields
class Captioner:
    """The affine layer from image features to the initial state, and the decoder.

    Parameters
    ----------
    W_img : ndarray of shape (H, F)
    b_img : ndarray of shape (H,)
    decoder : decoder.Params
        With hidden size H.
    """

    W_img: Array
    b_img: Array
    decoder: decoder.Params

    def __post_init__(self) -> None:
        W = _checks.float_array(self.W_img, "W_img", ndim=2, layout="(H, F)")
        b = _checks.float_array(self.b_img, "b_img", ndim=1, layout="(H,)")
        _checks.instance(self.decoder, "decoder", decoder.Params, "a decoder.Params")
        H = self.decoder.hidden_size
        _checks.expect_shape(W, "W_img", (H, W.shape[1]), "(H, F)", f"(H={H} of the decoder)")
        _checks.expect_shape(b, "b_img", (H,), "(H,)", f"(H={H} of the decoder)")
        object.__setattr__(self, "W_img", W)
        object.__setattr__(self, "b_img", b)


def init(feature_size: int, vocab_size: int, hidden_size: int, *,
         seed: Seed = None) -> Captioner:
    r"""A fresh captioner: :math:`W_{img} \sim \mathcal{U}(-1/\sqrt{F}, 1/\sqrt{F})`,
    :math:`b_{img} = 0`, and :func:`rnnbook.decoder.init`.

    Parameters
    ----------
    feature_size, vocab_size, hidden_size : int
        F, V and H.
    seed : int, numpy.random.Generator or None

    Returns
    -------
    Captioner
    """
    F = _checks.positive_int(feature_size, "feature_size")
    H = _checks.positive_int(hidden_size, "hidden_size")
    rng = as_generator(seed)
    return Captioner(initializers.uniform((H, F), 1 / np.sqrt(F), seed=rng), np.zeros(H),
                     decoder.init(vocab_size, H, seed=rng))


def initial_state(model: Captioner, features: Array) -> Array:
    r"""The decoder's initial hidden state from the image, :eq:`eq-captioning-h0`.

    Parameters
    ----------
    model : Captioner
    features : ndarray of shape (B, F)

    Returns
    -------
    ndarray of shape (B, H)
        :math:`h'_0 = W_{img} f + b_{img}` for every image.
    """
    f = _features(model, features)                                     # (B, F)
    h0: Array = f @ model.W_img.T + model.b_img                        # (B, H)
    return h0


def _features(model: object, features: object) -> Array:
    m = _checks.instance(model, "model", Captioner, "a captioning.Captioner")
    f = _checks.float_array(features, "features", ndim=2, layout="(B, F)")
    F = m.W_img.shape[1]
    _checks.expect_shape(f, "features", (len(f), F), "(B, F)", f"(F={F}, the columns of W_img)")
    return f


def loss_and_grads(model: Captioner, features: Array, ys_in: Array, targets: NDArray[Any],
                   lengths: ArrayLike) -> tuple[float, Captioner]:
    r"""The teacher-forced loss of a batch of captions, and its gradient for every weight.

    Parameters
    ----------
    model : Captioner
    features : ndarray of shape (B, F)
    ys_in : ndarray of shape (T, B, V)
        ``<start>`` then the captions shifted right.
    targets : integer ndarray of shape (T, B)
    lengths : integer array_like of shape (B,)
        The words of each caption plus its end token.

    Returns
    -------
    loss : float
        The masked cross-entropy of the captions' words.
    grads : Captioner

    Notes
    -----
    The decoder's BPTT ends with :math:`\partial L/\partial h'_0`, which the affine layer turns
    into :math:`\partial L/\partial W_{img} = \sum_b \partial L/\partial h'_{0,b} f_b^\top` and
    :math:`\partial L/\partial b_{img} = \sum_b \partial L/\partial h'_{0,b}`.
    """
    f = _features(model, features)                                    # (B, F)
    h0 = f @ model.W_img.T + model.b_img                              # (B, H): from the image
    c0 = np.zeros_like(h0)                                            # (B, H)
    loss, g_dec, dh0, _ = decoder.loss_and_grads(model.decoder, h0, c0, ys_in, targets, lengths)
    return loss, Captioner(dh0.T @ f, dh0.sum(axis=0), g_dec)


def generate(model: Captioner, features: Array, *, start: int,
             max_length: int) -> NDArray[np.int64]:
    """Write a caption for every image by greedy decoding (:func:`rnnbook.decoder.greedy`).

    Parameters
    ----------
    model : Captioner
    features : ndarray of shape (B, F)
    start : int
        The start token.
    max_length : int
        T, the number of words to write.

    Returns
    -------
    integer ndarray of shape (T, B)
    """
    h0 = initial_state(model, features)
    return decoder.greedy(model.decoder, h0, np.zeros_like(h0), start=start,
                          max_length=max_length)

"""rnnbook: the tested numpy code behind "Recurrent Neural Networks, from intuition to code".

One concept per module, each named after the idea it teaches:

- :mod:`rnnbook.activations`: tanh, sigmoid, relu, identity, their derivatives and the bound γ
- :mod:`rnnbook.initializers`: weight initialisers and scaling to a spectral radius
- :mod:`rnnbook.types`: the shared ``Array`` and ``Seed`` types, and ``as_generator``
- :mod:`rnnbook.rnn`: the vanilla (Elman) cell: ``Params``, ``init``, ``step``, ``forward``,
  ``backward`` (the plain code the book shows)
- :mod:`rnnbook.fast`: the same cells computed faster, tested equal to the plain code
- :mod:`rnnbook.losses`: mean squared error and softmax cross-entropy, with gradients
- :mod:`rnnbook.gradcheck`: finite-difference gradients and relative error
- :mod:`rnnbook.dynamics`: state Jacobians, gradient norms through time, the bound
- :mod:`rnnbook.clipping`: the global norm of the gradients and gradient-norm clipping
- :mod:`rnnbook.single_unit`: Pascanu et al.'s one-unit network and its error surface
- :mod:`rnnbook.optim`: SGD with momentum, Adagrad, Adam
- :mod:`rnnbook.readout`: the linear output layer on the states
- :mod:`rnnbook.patterns`: the four input/output patterns as trainable networks
- :mod:`rnnbook.networks`: any cell (vanilla, LSTM, GRU) with a readout, trained on the fast path
- :mod:`rnnbook.train`: a plain training loop that records loss and gradient norm
- :mod:`rnnbook.smoothing`: the moving average that turns a noisy loss record into a curve
- :mod:`rnnbook.pca`: principal components, to look at many hidden states in two dimensions
- :mod:`rnnbook.truncation`: truncated BPTT in numbers: the gradient it loses, the work it does
- :mod:`rnnbook.measure`: timing (interleaved medians) and peak memory, and BPTT's table of both
- :mod:`rnnbook.data`: toy sequence tasks and small corpora
- :mod:`rnnbook.plot`: every figure of the book (imported on first use: it loads matplotlib)
- :mod:`rnnbook.buildinfo`: which code and library versions built the book
- :mod:`rnnbook.interop`: conversion to and from PyTorch (optional dependency)
- :mod:`rnnbook.lstm`: the LSTM cell: ``Params``, ``init``, ``step``, ``forward``, ``backward``
- :mod:`rnnbook.gru`: the GRU cell, with PyTorch's or Cho et al.'s reset-gate placement
- :mod:`rnnbook.corpus`: text as integers: Python's documentation topics, vocabulary, split
- :mod:`rnnbook.streams`: a long text as parallel streams, read in chunks with a carried state
- :mod:`rnnbook.lm`: the character-level language model and the loss of a chunk
- :mod:`rnnbook.perplexity`: cross-entropy, bits per character and perplexity of held-out text
- :mod:`rnnbook.ngram`: n-gram models from counts, the baselines of a language model
- :mod:`rnnbook.sampling`: writing text with a language model, at a temperature
- :mod:`rnnbook.progress`: the progress bar of training, shown where a person is watching
- :mod:`rnnbook.cells`: the three cells behind one interface, for networks built of cells
- :mod:`rnnbook.masking`: padding, masks, each sequence's real end, the masked loss
- :mod:`rnnbook.bidirectional`: two cells reading a sequence both ways
- :mod:`rnnbook.stack`: stacked (deep) networks, layers of cells or bidirectional pairs
- :mod:`rnnbook.classifier`: sequence classification: an encoder, its summary, a readout
- :mod:`rnnbook.decoder`: an LSTM that writes tokens from a given initial state, its masked loss
- :mod:`rnnbook.seq2seq`: the encoder-decoder: teacher-forced loss, greedy decoding, beam search
- :mod:`rnnbook.attention`: additive attention: scores, alignment, context, their gradients
- :mod:`rnnbook.seq2seq_attention`: the encoder-decoder with attention
- :mod:`rnnbook.beam`: beam search over any decoder's step function
- :mod:`rnnbook.sequence_scores`: exact match and BLEU of written sequences
- :mod:`rnnbook.captioning`: image captioning: image features set the decoder's initial state
- :mod:`rnnbook.packing`: PyTorch's packed sequence in numpy, a padded batch stored step by step
- :mod:`rnnbook.notebook`: chapter cells that need an optional library, skipped with a note
  where it is missing

Letters used for shapes everywhere: T time steps, B batch, D input features, H hidden units,
V vocabulary (classes). Arrays are time-major: a batch of sequences is (T, B, D).
"""

from importlib.metadata import PackageNotFoundError, version

from rnnbook import (
    activations,
    attention,
    beam,
    bidirectional,
    captioning,
    cells,
    classifier,
    clipping,
    corpus,
    data,
    decoder,
    dynamics,
    fast,
    gradcheck,
    gru,
    initializers,
    interop,
    lm,
    losses,
    lstm,
    masking,
    measure,
    networks,
    ngram,
    notebook,
    optim,
    packing,
    patterns,
    pca,
    perplexity,
    progress,
    readout,
    rnn,
    sampling,
    seq2seq,
    seq2seq_attention,
    sequence_scores,
    single_unit,
    smoothing,
    stack,
    streams,
    train,
    truncation,
)

try:
    __version__ = version("rnnbook")
except PackageNotFoundError:  # imported from a source tree that was never installed
    __version__ = "0+unknown"

__all__ = [
    "activations",
    "attention",
    "beam",
    "bidirectional",
    "captioning",
    "cells",
    "classifier",
    "clipping",
    "corpus",
    "data",
    "decoder",
    "dynamics",
    "fast",
    "gradcheck",
    "gru",
    "initializers",
    "interop",
    "lm",
    "losses",
    "lstm",
    "masking",
    "measure",
    "networks",
    "ngram",
    "notebook",
    "optim",
    "packing",
    "patterns",
    "pca",
    "perplexity",
    "progress",
    "readout",
    "rnn",
    "sampling",
    "seq2seq",
    "seq2seq_attention",
    "sequence_scores",
    "single_unit",
    "smoothing",
    "stack",
    "streams",
    "train",
    "truncation",
]


def __getattr__(name: str) -> object:
    """Import :mod:`rnnbook.plot` on first use, so ``import rnnbook`` does not load matplotlib."""
    if name == "plot":
        import importlib

        return importlib.import_module("rnnbook.plot")
    raise AttributeError(f"module 'rnnbook' has no attribute {name!r}")

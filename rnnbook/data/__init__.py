"""Toy sequence tasks and small corpora, generated or shipped with the package (no downloads).

Every generator takes a ``seed`` (int or ``numpy.random.Generator``) and returns time-major
arrays: inputs ``xs`` of shape (T, B, D) and targets whose shape the task's docstring gives.
Generated tasks have unlimited data: draw a fresh batch for every training step
(:func:`stream`) and a fixed one, with its own seed, for testing.

One module per kind of task:

- ``rnnbook.data.memory``: recalling the first symbol of a sequence (chapter 1);
- ``rnnbook.data.images``: noisy bar images, to classify or to caption (chapter 3);
- ``rnnbook.data.sentences``: reviews to classify and sentences to tag (chapter 3);
- ``rnnbook.data.translation``: words to translate, letter by letter (chapter 3);
- ``rnnbook.data.gradients``: remembering a sign across a long sequence (chapter 5);
- ``rnnbook.data.long_range``: the adding problem and the copy task, with their baselines
  (chapter 8);
- ``rnnbook.data.marked``: naming the last of a few marked symbols (chapters 6 and 7);
- ``rnnbook.data.numbers``: numbers written in words, to write in digits (chapter 11);
- ``rnnbook.data.handwritten``: two handwritten digits side by side, to caption (chapter 12);
- ``rnnbook.data.batches``: the batch every task returns, and the stream of fresh batches;
- ``rnnbook.data.encoding``: one-hot vectors, and the way between words and tokens.

Each task's vocabulary (a tuple of strings whose position is the token index) is importable from
here too, such as ``rnnbook.data.SENTIMENT_VOCAB``.
"""

from rnnbook.data.batches import Batch, Seq2SeqBatch, stream
from rnnbook.data.encoding import encode, one_hot, to_text
from rnnbook.data.gradients import sign_memory
from rnnbook.data.handwritten import CAPTION_WORDS, CaptionBatch, digit_pairs, pair_caption
from rnnbook.data.images import CAPTION_VOCAB, ORIENTATIONS, bar_captions, bars
from rnnbook.data.long_range import ADDING_BASELINE, AddingBatch, adding, copy_baseline, copy_task
from rnnbook.data.marked import last_marked
from rnnbook.data.memory import SYMBOLS, memoryless_accuracy, recall_first
from rnnbook.data.numbers import (
    DIGITS,
    NUMBER_WORDS,
    TranslationBatch,
    digits_of,
    max_words,
    number_words,
    numbers_to_digits,
)
from rnnbook.data.sentences import (
    SENTIMENT_CLASSES,
    SENTIMENT_VOCAB,
    TAGGING_VOCAB,
    TAGS,
    sentiment,
    tagging,
)
from rnnbook.data.translation import SOURCE_VOCAB, TARGET_VOCAB, reverse_translation

__all__ = [
    "ADDING_BASELINE",
    "CAPTION_VOCAB",
    "CAPTION_WORDS",
    "DIGITS",
    "NUMBER_WORDS",
    "ORIENTATIONS",
    "SENTIMENT_CLASSES",
    "SENTIMENT_VOCAB",
    "SOURCE_VOCAB",
    "SYMBOLS",
    "TAGGING_VOCAB",
    "TAGS",
    "TARGET_VOCAB",
    "AddingBatch",
    "Batch",
    "CaptionBatch",
    "Seq2SeqBatch",
    "TranslationBatch",
    "adding",
    "bar_captions",
    "bars",
    "copy_baseline",
    "copy_task",
    "digit_pairs",
    "digits_of",
    "encode",
    "last_marked",
    "max_words",
    "memoryless_accuracy",
    "number_words",
    "numbers_to_digits",
    "one_hot",
    "pair_caption",
    "recall_first",
    "reverse_translation",
    "sentiment",
    "sign_memory",
    "stream",
    "tagging",
    "to_text",
]

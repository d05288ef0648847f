"""Between words and tokens: to_text and encode undo each other, and refuse what they cannot do."""

from __future__ import annotations

import numpy as np
import pytest

from rnnbook import data


def test_to_text_stops_after_the_stop_word() -> None:
    assert data.to_text(np.array([3, 1, 2]), data.TARGET_VOCAB) == "β <end> α"
    assert data.to_text(np.array([3, 1, 2]), data.TARGET_VOCAB, stop="<end>") == "β <end>"
    assert data.to_text(np.array([], dtype=int), data.TARGET_VOCAB) == ""


@pytest.mark.parametrize(("tokens", "error"), [(np.array([0.5]), TypeError),
                                               (np.array([7]), ValueError),
                                               (np.array([[1]]), TypeError)])
def test_to_text_refuses_what_is_not_a_row_of_tokens(tokens: np.ndarray,
                                                     error: type[Exception]) -> None:
    with pytest.raises(error, match="tokens"):
        data.to_text(tokens, data.TAGS)


def test_encode_is_the_inverse_of_to_text() -> None:
    batch = data.sentiment(5, seed=0)
    texts = [data.to_text(batch.xs[:, b].argmax(axis=-1), data.SENTIMENT_VOCAB) for b in range(5)]
    assert np.array_equal(data.encode(texts, data.SENTIMENT_VOCAB), batch.xs)


@pytest.mark.parametrize(("sentences", "error", "message"), [
    ("the movie", TypeError, "sentences must be a non-empty list"),
    ([], TypeError, "sentences must be a non-empty list"),
    (["the movie", "the"], ValueError, "same number of words"),
    (["the film"], ValueError, "not in vocab: film"),
])
def test_encode_refuses_sentences_it_cannot_encode(sentences: object, error: type[Exception],
                                                   message: str) -> None:
    with pytest.raises(error, match=message):
        data.encode(sentences, data.SENTIMENT_VOCAB)                         # type: ignore[arg-type]

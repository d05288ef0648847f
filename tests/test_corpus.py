"""The corpus: Python's documentation topics, their vocabulary, and a deterministic split."""

from __future__ import annotations

import pydoc_data.topics

import pytest

from rnnbook import corpus


def test_python_docs_is_the_standard_librarys_topics_in_alphabetical_order() -> None:
    topics = corpus.python_docs()
    assert list(topics) == sorted(pydoc_data.topics.topics)
    assert all(topics[k] == pydoc_data.topics.topics[k] for k in topics)
    assert sum(map(len, topics.values())) > 100_000


def test_split_is_contiguous_complete_and_deterministic() -> None:
    topics = corpus.python_docs()
    parts = corpus.split(topics)
    whole = "\n".join(topics[k] for k in sorted(topics))
    assert parts.train + parts.validation + parts.test == whole
    assert corpus.split(topics) == parts
    assert parts.train.endswith("\n") and parts.validation.endswith("\n")  # cut at line ends
    n = len(whole)
    assert 0.8 * n <= len(parts.train) <= 0.8 * n + 1000
    assert 0.1 * n - 1000 <= len(parts.validation) <= 0.1 * n + 1000


def test_split_cuts_just_after_the_next_line_break() -> None:
    # "abcd\nefgh\n" + "\n" + "ijkl\n": 16 characters; 0.3 * 16 = 4.8 and 0.6 * 16 = 9.6 fall
    # on the line breaks at 4 and 9, so the cuts are just after them, at 5 and 10
    parts = corpus.split({"b": "ijkl\n", "a": "abcd\nefgh\n"}, (0.3, 0.3))
    assert parts == ("abcd\n", "efgh\n", "\nijkl\n")
    with pytest.raises(ValueError, match="leave the validation text empty"):
        corpus.split({"a": "ab\ncdefghijklmn\n"}, (0.2, 0.1))   # 3.4 and 5.1: the same line


def test_encode_and_decode_are_inverse_over_the_whole_corpus() -> None:
    text = "\n".join(corpus.python_docs().values())
    vocab = corpus.vocabulary(text)
    ids = corpus.encode(text, vocab)
    assert ids.shape == (len(text),) and ids.max() == vocab.size - 1
    assert corpus.decode(ids, vocab) == text
    assert list(vocab.symbols) == sorted(set(text))


@pytest.mark.parametrize(("call", "error", "name"), [
    (lambda: corpus.vocabulary(""), TypeError, "text"),
    (lambda: corpus.Vocabulary("abca"), ValueError, "symbols"),
    (lambda: corpus.encode("xyz", corpus.vocabulary("xy")), ValueError, "text"),
    (lambda: corpus.encode("xy", "xy"), TypeError, "vocab"),
    (lambda: corpus.decode([0, 5], corpus.vocabulary("xy")), ValueError, "ids"),
    (lambda: corpus.decode([0.0], corpus.vocabulary("xy")), TypeError, "ids"),
    (lambda: corpus.split({}), TypeError, "topics"),
    (lambda: corpus.split({"a": "text\n"}, (0.9, 0.2)), ValueError, "fractions"),
])
def test_bad_input_raises_a_clear_error_naming_the_argument(call, error: type[Exception],
                                                            name: str) -> None:
    with pytest.raises(error) as info:
        call()
    assert type(info.value) is error
    assert str(info.value).startswith(name), str(info.value)

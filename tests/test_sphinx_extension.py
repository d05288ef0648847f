"""The book's Sphinx extension (book/_ext/rnnbook_sphinx.py), where a property is cheaper to
prove on its own than through a whole build of the book."""

from __future__ import annotations

import sys

import nbformat
import pytest
from book_build import BOOK

sys.path.insert(0, str(BOOK / "_ext"))
rnnbook_sphinx = pytest.importorskip("rnnbook_sphinx")


def stream(text: str, name: str = "stdout") -> nbformat.NotebookNode:
    return nbformat.v4.new_output("stream", name=name, text=text)


@pytest.mark.parametrize("chunks", [
    ["A\nB\nC\n"],
    ["A", "\nB\nC\n"],             # cut between a line and its newline
    ["A\n", "B\n", "C\n"],
    ["A\nB", "\n", "C", "\n"],
])
def test_printed_text_is_the_same_however_the_kernel_cut_it(chunks: list[str]) -> None:
    merged = rnnbook_sphinx.merge_streams([stream(c) for c in chunks])
    assert [(o["name"], o["text"]) for o in merged] == [("stdout", "A\nB\nC\n")]


def test_streams_merge_apart_and_other_outputs_keep_their_place() -> None:
    figure = nbformat.v4.new_output("display_data", data={"text/plain": "<Figure>"})
    merged = rnnbook_sphinx.merge_streams(
        [stream("a"), figure, stream("warn\n", "stderr"), stream("b\n")])
    assert [o.get("name") or o["output_type"] for o in merged] == \
        ["stdout", "display_data", "stderr"]
    assert merged[0]["text"] == "ab\n" and merged[2]["text"] == "warn\n"


def test_myst_nb_renders_with_the_same_merge() -> None:
    import myst_nb.core.render

    assert myst_nb.core.render.coalesce_streams is rnnbook_sphinx.merge_streams

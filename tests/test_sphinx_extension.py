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


# --- the downloaded notebooks (rnnbook_sphinx.notebook) ----------------------------------------

notebook = pytest.importorskip("rnnbook_sphinx.notebook")
latex = pytest.importorskip("rnnbook_sphinx.latex")


def book() -> object:
    """What the conversion knows of a small book: one chapter, one equation, one figure."""
    return notebook.Book(
        docname="book/part1/05-vanishing",
        equations={"eq-bound": "5.3"},
        numbered={"fig-norms": "Fig. 5.1", "sec-wall": "Section 5.4", "ex-clip": "Exercise 5.2"},
        titles={"sec-wall": "Where gradients explode: the wall"},
        notebooks={"book/part1/04-bptt", "book/part1/05-vanishing"},
        citations={"pascanu2013": ("Pascanu et al.", "2013", "R. Pascanu et al. 2013."),
                   "le2015": ("Le et al.", "2015", "Q. Le et al. 2015.")},
        literal=lambda path, options: f"# {path} {options.get('pyobject')}\n")


GLUED = {"fig-norms": {"image/png": "iVBORw0K", "text/plain": "<Figure>"},
         "ratio": {"text/plain": "0.24812"}, "big": {"text/markdown": "2.45 × 10¹⁰",
                                                     "text/plain": "<Markdown>"}}


@pytest.mark.parametrize(("role", "content", "shown"), [
    ("eq", "eq-bound", "(5.3)"),
    ("numref", "fig-norms", "Fig. 5.1"),
    ("numref", "Figure %s <fig-norms>", "Figure 5.1"),
    ("ref", "sec-wall", "Where gradients explode: the wall"),
    ("ref", "the wall <sec-wall>", "the wall"),
    ("term", "hidden state", "hidden state"),
    ("term", "basins of\nattraction <basin of attraction>", "basins of attraction"),
    ("cite:t", "pascanu2013", "Pascanu et al. [2013]"),
    ("cite:p", "pascanu2013,le2015", "[Pascanu et al., 2013; Le et al., 2015]"),
    ("py:func", "rnnbook.rnn.step", "`rnnbook.rnn.step()`"),
    ("py:class", "~rnnbook.rnn.Params", "`Params`"),
    ("math", r"h_t", "$h_t$"),
    ("glue:text", "ratio:.3f", "0.248"),
    ("glue:md", "big", "2.45 × 10¹⁰"),
    ("unknown", "x", "{unknown}`x`"),
])
def test_a_role_reads_as_the_page_shows_it(role: str, content: str, shown: str) -> None:
    assert notebook.convert_role(role, content, book(), GLUED) == shown


def test_markdown_loses_its_myst_markup_and_keeps_its_code() -> None:
    source = "\n".join([
        "(sec-wall)=",
        "## The wall",
        "",
        "As {numref}`fig-norms` shows, see [chapter 4](04-bptt.md) and the",
        "[glossary](../appendix/glossary.md); in code, `{term}` stays quoted.",
        "",
        "$$",
        r"\|J\| \le \gamma",
        "$$ (eq-bound)",
        "",
        "```{glue:figure} fig-norms",
        ":alt: A line falling [steeply].",
        ":name: fig-norms",
        "",
        "The norms, bounded by {eq}`eq-bound`.",
        "```",
        "",
        "```{exercise} ★ Clip",
        ":label: ex-clip",
        "",
        "Write `my_clip`; ratio {glue:text}`ratio:.2f`.",
        "```",
        "",
        "````{solution-start} ex-clip",
        ":class: dropdown",
        "````",
        "",
        "```{literalinclude} ../../rnnbook/dynamics.py",
        ":pyobject: clip_by_norm",
        "```",
        "",
        "```python",
        "x = {eq}`not-a-role-in-code`",
        "```",
        "",
        "````{solution-end}",
        "````",
        "",
        "```{mystery} kept",
        "```",
    ])
    attachments: dict[str, dict[str, str]] = {}
    out = notebook.convert_markdown(source, book(), GLUED, attachments)
    assert "(sec-wall)=" not in out and out.startswith("## The wall")
    assert "As Fig. 5.1 shows, see [chapter 4](04-bptt.ipynb) and the\nglossary;" in out
    assert "`{term}` stays quoted" in out
    assert "$$\n\\|J\\| \\le \\gamma \\tag{5.3}\n$$" in out
    assert "![A line falling (steeply).](attachment:fig-norms.png)\n\n*Fig. 5.1* The norms, " \
           "bounded by (5.3)." in out
    assert attachments == {"fig-norms.png": {"image/png": "iVBORw0K"}}
    assert "### Exercise 5.2 (★ Clip)\n\nWrite `my_clip`; ratio 0.25." in out
    assert "#### Solution to Exercise 5.2" in out and "solution-end" not in out
    assert "```python\n# ../../rnnbook/dynamics.py clip_by_norm\n```" in out
    assert "x = {eq}`not-a-role-in-code`" in out
    assert "```{mystery} kept" in out


def test_glue_calls_and_the_myst_nb_import_go() -> None:
    code = "\n".join([
        "from myst_nb import glue",
        "ratio = 0.5",
        "glue('ratio', ratio,",
        "     display=False)",
        "for k in range(3):",
        "    glue(f'k{k}', k, display=False)",
        "assert ratio < 1",
    ])
    assert notebook.without_glue(code) == "ratio = 0.5\nfor k in range(3):\n    pass\n" \
                                          "assert ratio < 1"


def test_a_hidden_cell_stays_only_if_a_later_cell_needs_it() -> None:
    cells = [nbformat.v4.new_code_cell("from myst_nb import glue\nglue('a', 1)",
                                       metadata={"tags": ["remove-cell"]}),
             nbformat.v4.new_code_cell("panels = {'a': 1}\nunused = 2",
                                       metadata={"tags": ["remove-cell"]}),
             nbformat.v4.new_code_cell("assert unused == 2", metadata={"tags": ["remove-cell"]}),
             nbformat.v4.new_code_cell("unused = 3\nprint(panels, unused)")]
    kept = notebook.prune_code(cells)
    assert [c.source for c in kept] == ["panels = {'a': 1}\nunused = 2",
                                        "unused = 3\nprint(panels, unused)"]
    assert kept[0].metadata["jupyter"] == {"source_hidden": True}


def test_a_hidden_cell_that_sets_up_the_kernel_stays() -> None:
    """Chapter 13's hidden check for PyTorch makes the kernel skip, with a note, the cells that
    need it: without it, a notebook run where PyTorch is missing would fail at its import."""
    setup = ("from myst_nb import glue\nfrom rnnbook import notebook\n\n"
             "HAVE_TORCH = notebook.optional('torch', install='pip install torch')")
    cells = [nbformat.v4.new_code_cell(setup, metadata={"tags": ["remove-cell"]}),
             nbformat.v4.new_code_cell("import torch\nprint(torch.ones(2))")]
    kept = notebook.prune_code(cells)
    assert [c.source for c in kept] == [
        "from rnnbook import notebook\n\nHAVE_TORCH = notebook.optional('torch', "
        "install='pip install torch')", "import torch\nprint(torch.ones(2))"]
    assert notebook.sets_up_kernel("import rnnbook.notebook as nb\nnb.optional('torch')")
    assert not notebook.sets_up_kernel("from rnnbook import plot\nfig = plot.curves([])")


@pytest.mark.parametrize(("source", "binds", "reads"), [
    ("x = y + 1", {"x"}, {"y"}),
    ("x = 1\nprint(x)", {"x"}, {"print"}),
    ("for s in z:\n    t += s", {"s", "t"}, {"z", "t"}),
    ("d[k] = v", {"d"}, {"d", "k", "v"}),
    ("f = [q for q in w]", {"f"}, {"w"}),
    ("def g(a):\n    b = a + c\n    return b", {"g"}, {"c"}),
])
def test_names_a_cell_binds_and_reads(source: str, binds: set[str], reads: set[str]) -> None:
    assert notebook.names(source) == (binds, reads)


def test_a_part_is_titled_after_its_caption() -> None:
    assert latex.part_title("Part I, foundations") == "Foundations"
    assert latex.part_title("Part III, applications") == "Applications"
    assert latex.part_title("Appendices") == "Appendices"
    assert [latex.part_number(f"Part {n}, x") for n in ("I", "II", "III", "IV", "IX")] == \
        [1, 2, 3, 4, 9]
    assert latex.part_number("Appendices") is None


# --- the map of the book (rnnbook_sphinx.bookmap) ----------------------------------------------

bookmap = pytest.importorskip("rnnbook_sphinx.bookmap")


def test_the_map_finds_every_chapter_what_it_needs_and_its_checked_exercises() -> None:
    from rnnbook import exercises

    chapters = bookmap.chapters(BOOK.parent)
    numbers = [c.number for c in chapters]
    assert numbers[0] == 1 and numbers == sorted(set(numbers))
    assert chapters[0].needs == ()
    assert all(c.needs and max(c.needs) < c.number for c in chapters[1:])
    assert all(c.exercises and all(e.label and 1 <= e.stars <= 3 for e in c.exercises)
               for c in chapters)
    checked = {name for c in chapters for e in c.exercises for name in e.checkers}
    assert checked <= set(exercises.available())
    assert {"state_update", "forward", "bptt", "gradient_norms"} <= checked


@pytest.mark.parametrize(("text", "numbers"), [
    ("Backpropagation through time from [chapter 4](../part1/04-bptt.md).", {4}),
    ("the LSTM and GRU cells of chapters 6 and 7", {6, 7}),
    ("chapters 3, 4 and 5, and {ref}`chapter 10 <sec-classify>`", {3, 4, 5, 10}),
    ("Chapters 2 to 4; [5](../part1/05-vanishing.md)", {2, 3, 4, 5}),
    ("Chapter 5's product of Jacobians", {5}),
])
def test_the_map_reads_the_chapters_a_paragraph_names(text: str, numbers: set[int]) -> None:
    assert bookmap.mentioned_chapters(text) == numbers

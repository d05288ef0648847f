"""The README and the contributor's guide stay true: their Python runs, their commands exist.

The Markdown is read by markdown-it-py, the CommonMark parser MyST itself uses (so a code block is
whatever GitHub and the book would show as one). The Python blocks of a file run in order in one
namespace, as a reader pastes them into one ``python`` session; a failure points at the file's
own line. The ``make`` commands they name are targets of the Makefile, and the chapter lines the
README's "Experimenting" section asks a reader to edit are in the chapters.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from book_build import tex_packages
from markdown_it import MarkdownIt

ROOT = Path(__file__).resolve().parent.parent
DOCS = ["README.md", "CONTRIBUTING.md"]
# The README's "Experimenting" section: the line it asks a reader to edit, in its chapter.
EXPERIMENT_LINES = {
    "book/part1/05-vanishing.md": "rhos = (0.5, 0.9, 1.0, 1.1, 1.5)",
    "book/part1/01-memory.md": "H = 32",
}


def tokens(doc: str) -> list[Any]:
    return MarkdownIt("commonmark").parse((ROOT / doc).read_text(encoding="utf-8"))


def fences(doc: str, *languages: str) -> list[tuple[int, str]]:
    """(first line of the code, code) of each fenced block in one of ``languages``."""
    return [(tok.map[0] + 1, tok.content) for tok in tokens(doc)
            if tok.type == "fence" and tok.info.split()[:1] and tok.info.split()[0] in languages]


def code_spans(doc: str) -> list[str]:
    return [child.content for tok in tokens(doc) if tok.type == "inline"
            for child in tok.children or [] if child.type == "code_inline"]


def make_targets() -> set[str]:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    return set(re.findall(r"^([A-Za-z][\w.-]*)\s*:(?!=)", makefile, flags=re.M))


@pytest.mark.parametrize("doc", DOCS)
def test_the_python_blocks_run_in_order(doc: str, capsys: pytest.CaptureFixture[str]) -> None:
    blocks = fences(doc, "python", "py")
    if doc == "README.md":
        assert blocks, "the README lost its Python example"
    namespace: dict[str, Any] = {"__name__": "__main__"}
    for line, code in blocks:
        # Blank lines in front, so that a traceback names the line of the Markdown file.
        exec(compile("\n" * line + code, str(ROOT / doc), "exec"), namespace)
    if doc == "README.md":
        assert "True" in capsys.readouterr().out, "the README's exercise check did not pass"


@pytest.mark.parametrize("doc", [*DOCS, "book/index.md"])
def test_every_make_command_is_a_target_of_the_makefile(doc: str) -> None:
    texts = [code for _, code in fences(doc, "bash", "sh", "console")] + code_spans(doc)
    named = {m for text in texts for m in re.findall(r"(?:^|[\s;&|])make\s+([a-z][\w.-]*)", text)}
    assert named, f"{doc} names no make command"
    assert named <= make_targets(), f"{doc} names make targets that do not exist: " \
                                    f"{sorted(named - make_targets())}"


@pytest.mark.parametrize("doc", DOCS)
def test_every_file_named_in_backticks_exists(doc: str) -> None:
    """Paths in backticks name files of the repository (what a build makes is left out)."""
    paths = [s for s in code_spans(doc)
             if re.fullmatch(r"[\w.-]+(/[\w.*-]+)+/?|[\w-]+\.(md|py|toml|cff|txt)", s)]
    assert paths, f"{doc} names no file"
    missing = [p for p in paths if not p.startswith(("_build/", ".venv/"))
               and not any(ROOT.glob(p.rstrip("/")))]
    assert not missing, f"{doc} names files that do not exist: {missing}"


@pytest.mark.parametrize(("chapter", "line"), EXPERIMENT_LINES.items())
def test_the_readme_experiment_edits_a_line_the_chapter_has(chapter: str, line: str) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert chapter in readme and line in readme
    assert any(text.split("#")[0].strip() == line
               for text in (ROOT / chapter).read_text(encoding="utf-8").splitlines()), \
        f"{chapter} has no line `{line}`, which the README asks a reader to edit"


def test_the_readme_installs_the_tex_packages_the_makefile_lists() -> None:
    """The README's apt-get line for ``make pdf`` is the Makefile's list, which CI installs."""
    lines = [line for _, code in fences("README.md", "bash", "sh") for line in code.splitlines()
             if "apt-get install" in line and "latexmk" in line]
    assert len(lines) == 1, "the README has no single apt-get line for the PDF"
    named = lines[0].split("--no-install-recommends", 1)[1].split()
    assert named == tex_packages()

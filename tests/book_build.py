"""Building the book for the tests: a strict, fresh build into a temporary folder.

The build runs in a subprocess exactly as ``make book`` does (``-n -W --keep-going``), but with a
fresh execution cache (``RNNBOOK_JUPYTER_CACHE``), so every chapter is executed by the code as it
is now, never restored from an older cache.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BOOK = ROOT / "book"


def source_pages() -> list[str]:
    """Every page the book's sources promise, as paths relative to the HTML root."""
    return sorted(p.relative_to(ROOT).with_suffix(".html").as_posix() for p in BOOK.rglob("*.md"))


@dataclass(frozen=True)
class Build:
    """The result of one build."""

    html: Path
    returncode: int
    output: str

    def notebooks(self) -> list[Path]:
        """The executed notebooks offered for download, outputs included, one per executed page."""
        return sorted((self.html / "_sources").rglob("*.ipynb"))


class PendingBuild:
    """A build started in the background (:func:`start`); :meth:`wait` gives its :class:`Build`.

    Two builds run side by side take little longer than one on a machine with two idle cores:
    a build executes one chapter at a time, in one kernel with one BLAS thread.
    """

    def __init__(self, folder: Path, **environ: str) -> None:
        self.folder = folder
        env = {**os.environ, "RNNBOOK_JUPYTER_CACHE": str(folder / "cache"), **environ}
        cmd = [sys.executable, "-m", "sphinx", "-b", "html", "-n", "-W", "--keep-going",
               str(ROOT), str(folder / "html"), "-d", str(folder / "doctrees")]
        self._log = (folder / "build.log").open("w+", encoding="utf-8")
        self._proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=self._log,
                                      stderr=subprocess.STDOUT, text=True)
        self._result: Build | None = None

    def wait(self) -> Build:
        if self._result is None:
            returncode = self._proc.wait()
            self._log.seek(0)
            self._result = Build(self.folder / "html", returncode, self._log.read())
            self._log.close()
        return self._result

    def stop(self) -> None:
        """End the build if it still runs (a session that ends before it needs it)."""
        if self._result is None and self._proc.poll() is None:
            self._proc.terminate()
            self._proc.wait()
        if not self._log.closed:
            self._log.close()


def start(folder: Path, **environ: str) -> PendingBuild:
    """Start building the whole book into ``folder`` with warnings as errors and a fresh cache.

    ``environ`` adds environment variables for the build and the kernels it starts.
    """
    return PendingBuild(folder, **environ)


def build(folder: Path, **environ: str) -> Build:
    """Build the whole book into ``folder`` (as :func:`start`), and wait for it."""
    return start(folder, **environ).wait()


def tex_packages() -> list[str]:
    """The Debian packages ``make pdf`` needs, as the Makefile lists them (``TEX_PACKAGES``)."""
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8").replace("\\\n", " ")
    found = re.search(r"^TEX_PACKAGES\s*:=(.*)$", makefile, flags=re.M)
    assert found, "the Makefile lists no TEX_PACKAGES"
    return found.group(1).split()


@dataclass(frozen=True)
class PdfBuild:
    """The PDF built from the same sources, cache and doctrees as an HTML :class:`Build`, and the
    HTML book built again next to it (it then offers the PDF)."""

    pdf: Path
    tex: Path
    log: str  # LaTeX's own log (rnnbook.log)
    returncode: int
    output: str
    seconds: float
    html: Path


def build_pdf(book: Build) -> PdfBuild:
    """Build the book as a PDF next to ``book``'s HTML (in ``book.html``'s parent folder), with
    the same execution cache, so that no chapter is executed again, then build the HTML again,
    now offering the PDF, into ``html-pdf`` beside it.

    ``make pdf`` does the same steps in ``_build`` (where the HTML is rebuilt in place). Here
    ``book.html`` is left as it is, so that other tests can read it while the PDF is built.
    """
    folder = book.html.parent
    env = {**os.environ, "RNNBOOK_JUPYTER_CACHE": str(folder / "cache")}
    sphinx = [sys.executable, "-m", "sphinx", "-n", "-W", "--keep-going", str(ROOT),
              "-d", str(folder / "doctrees")]
    latex = folder / "latex"
    start = time.monotonic()
    output, returncode = "", 0
    for cmd, cwd in (
        ([*sphinx[:3], "-b", "latex", *sphinx[3:], str(latex)], ROOT),
        (["make", "-C", str(latex), "all-pdf",
          "LATEXMKOPTS=-interaction=nonstopmode -halt-on-error"], ROOT),
        ([*sphinx[:3], "-b", "html", *sphinx[3:], str(folder / "html-pdf")], ROOT),
    ):
        proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, check=False)
        output += proc.stdout + proc.stderr
        returncode = returncode or proc.returncode
    log = latex / "rnnbook.log"
    return PdfBuild(latex / "rnnbook.pdf", latex / "rnnbook.tex",
                    log.read_text(encoding="utf-8", errors="replace") if log.is_file() else "",
                    returncode, output, time.monotonic() - start, folder / "html-pdf")


def cell_outputs(notebook: Path) -> list[dict[str, object]]:
    """All outputs of the code cells of an executed notebook, except cells tagged
    ``raises-exception`` (a deliberate error the chapter shows)."""
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    return [out for cell in nb["cells"] if cell["cell_type"] == "code"
            and "raises-exception" not in cell.get("metadata", {}).get("tags", [])
            for out in cell.get("outputs", [])]

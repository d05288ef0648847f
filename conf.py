"""Sphinx configuration of the book "Recurrent Neural Networks, from intuition to code".

The chapters are MyST Markdown notebooks executed by MyST-NB at build time. Strict by design:
an error in any cell, any warning and any broken reference fail the build. Everything the built
book needs is local: MathJax is copied from a Python package, no CDN, no remote inventories.
"""

from __future__ import annotations

import os
import sys
import warnings
from pathlib import Path

import rnnbook
from rnnbook import buildinfo

ROOT = Path(__file__).resolve().parent
# The book's own extension (book/_ext/rnnbook_sphinx.py) holds every hook; this file only
# configures.
sys.path.insert(0, str(ROOT / "book" / "_ext"))

# The chapters' matrices are small: one BLAS thread is faster than several, and steady on a busy
# machine (several threads made some cells 7x slower). Kernels inherit this environment.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")
# No progress bars in the pages: train.fit shows one where a person is watching (rnnbook.progress),
# and a notebook kernel looks like one. The kernels inherit this setting.
os.environ.setdefault("RNNBOOK_PROGRESS", "0")

# sphinx-autodoc-typehints (3.6.1, the newest) still calls a parser method that Sphinx 9 marks
# for removal in Sphinx 10, and Python prints that deprecation once per API page on every
# build. It is the extension's to fix, not a problem of the book: silence that one message.
warnings.filterwarnings("ignore", message=r".*_RstSnippetParser\.set_application.* is deprecated")

project = "Recurrent Neural Networks, from intuition to code"
author = "the rnnbook authors"
copyright = "2026, the rnnbook authors"
root_doc = "book/index"

extensions = [
    "myst_nb",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "sphinx_autodoc_typehints",
    "sphinx.ext.viewcode",
    "sphinx_togglebutton",
    "sphinx_exercise",
    "sphinxcontrib.bibtex",
    "rnnbook_sphinx",
    "part_numbering",
]

# Sphinx would read every file below the configuration folder (caches such as .pytest_cache
# included): only the book is a source.
include_patterns = ["book/**"]
exclude_patterns = ["**/.ipynb_checkpoints"]

# --- strictness --------------------------------------------------------------------------------
nitpicky = True
# Types from other libraries are not linked (that would need their inventories from the network).
# Docstring types are numpydoc prose ("ndarray of shape (T, B, D)"), whose words Sphinx would try
# to cross-reference; only references into rnnbook itself are held to nitpicky standards.
nitpick_ignore_regex = [
    (r"py:class", r"(?!rnnbook\.).*"),
    (r"py:class", r"rnnbook\.\w+\.P"),  # type variables
    (r"py:data", r"(Ellipsis|typing\..*)"),
]

# --- MyST and MyST-NB --------------------------------------------------------------------------
myst_enable_extensions = ["amsmath", "dollarmath", "colon_fence", "deflist", "substitution"]
myst_heading_anchors = 3
numfig = True
math_numfig = True
math_eqref_format = "({number})"

nb_execution_mode = os.environ.get("RNNBOOK_EXECUTION_MODE", "cache")
# The execution cache follows the package: MyST-NB keys a chapter on its own code cells only
# (its issue #299), so the cache lives in a folder named after a hash of rnnbook's files, and any
# change to rnnbook re-executes every chapter. `make clean` removes old caches.
# RNNBOOK_JUPYTER_CACHE puts the cache elsewhere (the book test builds with a fresh one).
_cache_root = Path(os.environ.get("RNNBOOK_JUPYTER_CACHE", ROOT / "_build" / ".jupyter_cache"))
nb_execution_cache_path = str(_cache_root / buildinfo.cache_key())
rnnbook_cache_key = buildinfo.cache_key()  # a change re-reads every page (rnnbook_sphinx)
nb_execution_raise_on_error = True
nb_execution_show_tb = True
nb_execution_timeout = 300
nb_output_stderr = "error"
nb_merge_streams = True

# --- API reference -----------------------------------------------------------------------------
autodoc_member_order = "bysource"
autodoc_default_options = {"members": True, "show-inheritance": False}
autodoc_typehints = "description"
autodoc_preserve_defaults = True
napoleon_google_docstring = False
napoleon_numpy_docstring = True
napoleon_use_rtype = False
napoleon_use_ivar = True
typehints_use_rtype = False
typehints_defaults = "comma"
always_use_bars_union = True

# --- bibliography ------------------------------------------------------------------------------
bibtex_bibfiles = ["book/references.bib"]
bibtex_default_style = "plain"
bibtex_reference_style = "author_year"

# --- HTML --------------------------------------------------------------------------------------
html_theme = "sphinx_book_theme"
html_title = "RNNs, from intuition to code"
html_static_path = ["book/_static"]
html_extra_path = ["book/_extra"]  # index.html at the top, forwarding to book/index.html
html_css_files = ["rnnbook.css"]
html_context = {"default_mode": "auto"}  # follow the reader's system; the toggle overrides it
html_last_updated_fmt = None  # two builds of one commit must give the same pages
html_theme_options = {
    "use_download_button": True,
    "use_fullscreen_button": False,
    "home_page_in_toc": True,
    "show_toc_level": 2,
    "navigation_with_keys": False,
}

# Math: MathJax 3 (SVG output, no web fonts) from the django-static-mathjax package, copied into
# the build by rnnbook_sphinx; the path is relative to _static.
mathjax_path = "mathjax/tex-svg.js"

# --- PDF (make pdf) ----------------------------------------------------------------------------
# XeLaTeX with the GNU FreeFont faces for text and DejaVu Sans Mono for code: the prose, the code
# and the cells' printed output use Unicode (Greek letters, ★, ×, ᵀ, ⊙, superscripts) that
# pdflatex would need declared one by one. ★ is missing from FreeSerif's bold italic (exercise
# titles): it is taken from the upright face. The TeX packages are listed in the README.
# rnnbook_sphinx.latex turns the landing page into the preface and the toctrees into parts.
latex_engine = "xelatex"
today = f"rnnbook {rnnbook.__version__}, source {buildinfo.source_hash()}"  # the title page's date
latex_documents = [(root_doc, "rnnbook.tex", project, author, "manual", False)]
latex_use_xindy = False
latex_domain_indices = False  # the API reference is an appendix; no separate module index
latex_show_urls = "footnote"
latex_elements = {
    "papersize": "a4paper",
    "pointsize": "10pt",
    "fontpkg": r"""
\setmainfont{FreeSerif}[Extension=.otf, UprightFont=*, ItalicFont=*Italic,
  BoldFont=*Bold, BoldItalicFont=*BoldItalic]
\setsansfont{FreeSans}[Extension=.otf, UprightFont=*, ItalicFont=*Oblique,
  BoldFont=*Bold, BoldItalicFont=*BoldOblique]
\setmonofont{DejaVu Sans Mono}[Scale=0.84]
\newfontfamily\rnnbooksymbols{FreeSerif}[Extension=.otf]
""",
    "preamble": r"""
\usepackage{newunicodechar}
\newunicodechar{★}{{\rnnbooksymbols\symbol{"2605}}}
""",
    "sphinxsetup": "hmargin={2.2cm,2.2cm}, vmargin={2.5cm,2.5cm}",
    # Sphinx would title the contents after the first toctree's caption ("Part I, foundations").
    "tableofcontents": r"\renewcommand{\contentsname}{Contents}\sphinxtableofcontents",
}

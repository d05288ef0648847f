"""Shared test settings: a seeded hypothesis profile and skip-or-fail for optional dependencies.

No test uses numpy's global random state: every random draw comes from
``np.random.default_rng(seed)`` with a fixed seed, and hypothesis is derandomised, so a failure
seen once is seen every time.
"""

from __future__ import annotations

import importlib
import os
import shutil
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from types import ModuleType
from typing import Any, NoReturn

import pytest
from book_build import Build, PdfBuild, PendingBuild, build_pdf, start, tex_packages
from hypothesis import HealthCheck, settings

# Derandomised: the same examples on every run and every machine, so CI failures reproduce
# locally. No example database (nothing written to .hypothesis/) and no deadline (timings on a
# shared 2-core runner are noisy). ~30 examples per property keeps the unit suite fast.
settings.register_profile(
    "rnnbook",
    derandomize=True,
    deadline=None,
    max_examples=30,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "rnnbook"))

TEX_REASON = ("the PDF needs TeX Live and poppler-utils: apt-get install --no-install-recommends "
              + " ".join(tex_packages()))
BROWSER_REASON = ("headless browser tests need Playwright (pip install playwright) and Chromium "
                  "(apt-get install chromium)")
# The flags this machine's closed network needs (background services would try to phone home).
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]
TORCH_REASON = "PyTorch is not installed: pip install torch==2.13.0"


def skip_or_fail(reason: str, env_var: str) -> NoReturn:
    """Skip the test -- or fail it when ``env_var`` is set to 1.

    A skipped test is easy to miss, so CI sets ``env_var`` (``RNNBOOK_REQUIRE_TORCH=1``,
    ``RNNBOOK_REQUIRE_BROWSER=1``) to turn a missing optional dependency into a failure.
    """
    if os.environ.get(env_var) == "1":
        pytest.fail(f"{reason} ({env_var}=1 makes this a failure)", pytrace=False)
    pytest.skip(reason)


def require(module_name: str, reason: str, env_var: str) -> ModuleType:
    """Import and return ``module_name``; if it is missing, :func:`skip_or_fail`."""
    try:
        return importlib.import_module(module_name)
    except ImportError:
        skip_or_fail(reason, env_var)


@pytest.fixture(scope="session")
def torch() -> ModuleType:
    """The ``torch`` module; skips (or fails under RNNBOOK_REQUIRE_TORCH=1) without it.

    Session-scoped so hypothesis tests can use it.
    """
    return require("torch", TORCH_REASON, "RNNBOOK_REQUIRE_TORCH")


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Headless Chromium (Debian's) driven by Playwright; skips (or fails under
    RNNBOOK_REQUIRE_BROWSER=1) without them."""
    sync_api = require("playwright.sync_api", BROWSER_REASON, "RNNBOOK_REQUIRE_BROWSER")
    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if executable is None:
        skip_or_fail(BROWSER_REASON, "RNNBOOK_REQUIRE_BROWSER")
    with sync_api.sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


# test_reproducible compares two clean builds, the second with another hash seed.
SECOND_BUILD_ENV = {"PYTHONHASHSEED": "12345"}


@pytest.fixture(scope="session")
def _builds(request: pytest.FixtureRequest,
            tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, PendingBuild]]:
    """The session's builds of the book, started together: the second one only when a selected
    test needs it (``second_build``), side by side with the first, which halves the wait on a
    2-core machine."""
    builds = {"first": start(tmp_path_factory.mktemp("book"))}
    if _selected(request, "second_build"):
        builds["second"] = start(tmp_path_factory.mktemp("book-again"), **SECOND_BUILD_ENV)
    yield builds
    for pending in builds.values():
        pending.stop()


def _selected(request: pytest.FixtureRequest, fixture: str) -> bool:
    """Whether a test selected in this session uses ``fixture``."""
    return any(fixture in getattr(item, "fixturenames", ()) for item in request.session.items)


def _tex_installed() -> bool:
    return all(shutil.which(tool) for tool in ("xelatex", "latexmk", "pdftotext", "pdfimages"))


class _BackgroundPdf:
    """The PDF build, started at most once, in a thread of its own (LaTeX runs in a process of its
    own, so the tests go on meanwhile)."""

    def __init__(self, pool: ThreadPoolExecutor) -> None:
        self._pool = pool
        self._future: Future[PdfBuild] | None = None

    def start(self, book: Build) -> Future[PdfBuild]:
        if self._future is None:
            self._future = self._pool.submit(build_pdf, book)
        return self._future


@pytest.fixture(scope="session")
def _pdf_build() -> Iterator[_BackgroundPdf]:
    with ThreadPoolExecutor(max_workers=1) as pool:
        yield _BackgroundPdf(pool)


@pytest.fixture(scope="session")
def built_book(_builds: dict[str, PendingBuild], _pdf_build: _BackgroundPdf,
               request: pytest.FixtureRequest) -> Build:
    """The whole book, built once per test session into a temporary folder (a fresh cache).

    As soon as it is built, the PDF starts building from it in the background when a selected
    test needs the PDF: LaTeX then runs on one core while the browser tests use the other.
    """
    book = _builds["first"].wait()
    if book.returncode == 0 and _tex_installed() and _selected(request, "built_pdf"):
        _pdf_build.start(book)
    return book


@pytest.fixture(scope="session")
def second_build(_builds: dict[str, PendingBuild],
                 tmp_path_factory: pytest.TempPathFactory) -> Build:
    """A second clean build of the whole book, with another hash seed (test_reproducible)."""
    if "second" not in _builds:
        _builds["second"] = start(tmp_path_factory.mktemp("book-again"), **SECOND_BUILD_ENV)
    return _builds["second"].wait()


@pytest.fixture(scope="session")
def built_pdf(built_book: Build, _pdf_build: _BackgroundPdf) -> PdfBuild:
    """The whole book as a PDF, built next to :func:`built_book` from the same execution cache
    (skips without TeX Live, or fails under RNNBOOK_REQUIRE_TEX=1)."""
    if not _tex_installed():
        skip_or_fail(TEX_REASON, "RNNBOOK_REQUIRE_TEX")
    if built_book.returncode != 0:
        pytest.fail("the book did not build; see test_the_book_builds_with_warnings_as_errors")
    return _pdf_build.start(built_book).result()

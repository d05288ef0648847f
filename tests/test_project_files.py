"""The files that let others pick the project up agree with each other: the licence, the version,
the citation file and the changelog."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def pyproject(key: str) -> str:
    """A top-level string of pyproject.toml's [project] table (tomllib needs Python 3.11)."""
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    project = text.split("[project]", 1)[1].split("\n[", 1)[0]
    found = re.search(rf'^{key} = "([^"]*)"$', project, flags=re.M)
    assert found, f"pyproject.toml has no {key}"
    return found.group(1)


def citation() -> dict[str, object]:
    return yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))


def test_the_licence_file_is_the_licence_pyproject_declares() -> None:
    assert pyproject("license") == "MIT"
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License") and "WITHOUT WARRANTY OF ANY KIND" in text


def test_the_text_licence_is_stated_in_the_readme_and_on_the_landing_page() -> None:
    for page in ("README.md", "book/index.md"):
        text = (ROOT / page).read_text(encoding="utf-8")
        assert "CC BY 4.0" in text and "creativecommons.org/licenses/by/4.0" in text, page
        assert "MIT" in text, page


def test_the_citation_file_is_valid_cff_1_2_0() -> None:
    """The keys CFF 1.2.0 requires, with the types its schema gives them."""
    cff = citation()
    assert cff["cff-version"] == "1.2.0"
    for key in ("message", "title"):
        assert isinstance(cff[key], str) and cff[key].strip()
    authors = cff["authors"]
    assert isinstance(authors, list) and authors
    assert all(isinstance(a, dict) and ("name" in a or "family-names" in a) for a in authors)
    datetime.date.fromisoformat(str(cff["date-released"]))
    licences = cff["license"] if isinstance(cff["license"], list) else [cff["license"]]
    assert set(licences) <= {"MIT", "CC-BY-4.0"}
    preferred = cff["preferred-citation"]
    assert isinstance(preferred, dict)
    assert {"type", "title", "authors"} <= preferred.keys()


def test_the_version_is_the_same_in_pyproject_citation_and_changelog() -> None:
    version = pyproject("version")
    assert str(citation()["version"]) == version
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    released = re.findall(r"^## \[(\d+\.\d+\.\d+)\] - (\d{4}-\d{2}-\d{2})$", changelog, re.M)
    assert released and released[0][0] == version, "the newest release in CHANGELOG.md"
    assert "## [Unreleased]" in changelog
    assert str(citation()["date-released"]) == released[0][1]

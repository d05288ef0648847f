"""rnnbook.notebook: cells that need a missing library print a note instead of running, and
only those; where the library is there, every cell runs as written.

The cells run in a real IPython shell, as a chapter's cells do in the kernel that builds the
book. ``json`` stands for a library that is installed (``RNNBOOK_NO_JSON=1`` hides it), and
``no_such_module_rnnbook`` for one that is not.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from typing import Any

import pytest

from rnnbook import _names, notebook

interactiveshell = pytest.importorskip("IPython.core.interactiveshell")

MISSING = "no_such_module_rnnbook"
INSTALL = "pip install no-such-module"


@pytest.fixture
def shell() -> Iterator[Any]:
    """A fresh IPython shell with an empty namespace and no transformers but ours."""
    sh = interactiveshell.InteractiveShell.instance()
    sh.reset(new_session=False)
    saved = list(sh.ast_transformers)
    sh.ast_transformers[:] = []
    yield sh
    sh.ast_transformers[:] = saved
    sh.reset(new_session=False)


def run(shell: Any, code: str, capsys: pytest.CaptureFixture[str]) -> str:
    """Run one cell; return what it printed. A cell that raises fails the test."""
    result = shell.run_cell(code)
    result.raise_error()
    return capsys.readouterr().out


def test_a_missing_module_is_not_available_and_an_installed_one_is() -> None:
    assert notebook.available("json")
    assert not notebook.available(MISSING)


def test_the_environment_variable_hides_an_installed_module(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RNNBOOK_NO_JSON", "1")
    assert notebook.variable("json") == "RNNBOOK_NO_JSON"
    assert notebook.hidden("json") and not notebook.available("json")
    assert notebook.note("json", install="x").startswith("Not run: RNNBOOK_NO_JSON=1 hides json")
    monkeypatch.setenv("RNNBOOK_NO_JSON", "0")
    assert notebook.available("json")


def test_with_the_module_installed_every_cell_runs(shell: Any,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    assert notebook.optional("json", install="-", shell=shell) is True
    assert shell.ast_transformers == []
    assert run(shell, "import json\nprint(json.dumps([1]))", capsys) == "[1]\n"


def test_cells_that_import_the_module_print_the_note_instead(
        shell: Any, capsys: pytest.CaptureFixture[str]) -> None:
    assert notebook.optional(MISSING, install=INSTALL, label="Missing", shell=shell) is False
    out = run(shell, f"import {MISSING}\nprint('ran')", capsys)
    assert out == notebook.note(MISSING, install=INSTALL, label="Missing") + "\n"
    assert out.startswith("Not run: Missing is not installed") and "ran" not in out.split(".")[-1]
    for code in (f"import {MISSING}.sub as s", f"from {MISSING} import nn",
                 f"from {MISSING}.nn import functional as F"):
        assert run(shell, code, capsys).startswith("Not run: ")


def test_what_a_skipped_cell_defines_is_skipped_in_turn_and_nothing_else(
        shell: Any, capsys: pytest.CaptureFixture[str]) -> None:
    notebook.optional(MISSING, install=INSTALL, shell=shell)
    run(shell, f"import {MISSING} as lib\nfrom rnnbook import interop\nnet = lib.make()", capsys)
    assert run(shell, "y = net(2)", capsys).startswith("Not run: ")       # built on net
    assert run(shell, "def f():\n    return interop\n", capsys).startswith("Not run: ")
    assert run(shell, "z = y + 1", capsys).startswith("Not run: ")        # y was never made
    assert run(shell, f"print({MISSING})", capsys).startswith("Not run: ")  # read, not imported
    assert run(shell, "import math\nprint(math.floor(2.5))", capsys) == "2\n"


def test_a_name_bound_again_by_a_cell_that_runs_is_available_again(
        shell: Any, capsys: pytest.CaptureFixture[str]) -> None:
    notebook.optional(MISSING, install=INSTALL, shell=shell)
    run(shell, f"import {MISSING}\nmodel = 1", capsys)
    assert run(shell, "model = 2\nprint(model)", capsys) == "2\n"   # binds it before reading
    assert run(shell, "print(model + 1)", capsys) == "3\n"


def test_parameters_and_comprehension_targets_hide_unavailable_names(
        shell: Any, capsys: pytest.CaptureFixture[str]) -> None:
    notebook.optional(MISSING, install=INSTALL, shell=shell)
    run(shell, f"import {MISSING}\nnet, x = 1, 2", capsys)
    code = ("def apply(net, x):\n    return net * x\n"
            "square = lambda x: x * x\n"
            "print(apply(2, 3), square(4), [x for x in range(2)], {net: 1 for net in 'a'})")
    assert run(shell, code, capsys) == "6 16 [0, 1] {'a': 1}\n"
    assert run(shell, "def g(y=net):\n    return y\n", capsys).startswith("Not run: ")


def test_a_cell_that_reads_the_flag_always_runs(shell: Any,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    shell.user_ns["HAVE_IT"] = notebook.optional(MISSING, install=INSTALL, flag="HAVE_IT",
                                                 shell=shell)
    run(shell, f"import {MISSING}\nresult = {MISSING}.compute()", capsys)
    code = "if HAVE_IT:\n    shown = result\nelse:\n    shown = 'not run'\nprint(shown)"
    assert run(shell, code, capsys) == "not run\n"


def test_a_mistyped_name_still_fails(shell: Any) -> None:
    notebook.optional(MISSING, install=INSTALL, shell=shell)
    result = shell.run_cell("print(undefined_name_xyz)")
    assert isinstance(result.error_in_exec, NameError)


def test_a_state_carried_from_a_skipped_cell_is_skipped(
        shell: Any, capsys: pytest.CaptureFixture[str]) -> None:
    notebook.optional(MISSING, install=INSTALL, shell=shell)
    run(shell, f"import {MISSING}\nstate = {MISSING}.zeros()", capsys)
    assert run(shell, "state = step(state)", capsys).startswith("Not run: ")


def test_calling_it_again_registers_one_skipper_and_installing_removes_it(shell: Any) -> None:
    for _ in range(2):
        notebook.optional(MISSING, install=INSTALL, shell=shell)
    assert len(shell.ast_transformers) == 1
    skipper = shell.ast_transformers[0]
    skipper.module = "json"                     # as if the missing module had been installed
    notebook.optional("json", install="-", shell=shell)
    assert shell.ast_transformers == []


def test_the_hidden_module_is_skipped_even_though_it_imports(
        shell: Any, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RNNBOOK_NO_JSON", "1")
    assert notebook.optional("json", install="pip install json", shell=shell) is False
    assert run(shell, "import json", capsys).startswith("Not run: RNNBOOK_NO_JSON=1 hides json")


def test_outside_ipython_it_only_answers() -> None:
    # pytest runs no IPython shell: nothing to watch, and no error.
    assert notebook.optional("json", install="-") is True
    assert notebook.optional(MISSING, install=INSTALL) is False


@pytest.mark.parametrize(("code", "free", "bound"), [
    ("a = b + c", {"b", "c"}, {"a"}),
    ("for i in items:\n    total += i", {"items", "total"}, {"i", "total"}),
    ("state = step(state)\nx = state", {"state", "step"}, {"state", "x"}),
    ("def f():\n    return later\nlater = 1", set(), {"f", "later"}),
    ("print(early)\nearly = 1", {"print", "early"}, {"early"}),
    ("ys = [x for x in x]", {"x"}, {"ys"}),
    ("with open(p) as f:\n    text = f.read()", {"open", "p"}, {"f", "text"}),
    ("try:\n    x = 1\nexcept E as err:\n    print(err)", {"E", "print"}, {"x", "err"}),
    ("class C(Base):\n    w = v\n    def m(self):\n        return self.w + u",
     {"Base", "v", "u"}, {"C"}),
    ("@dec\ndef f(a, *r, k=d, **kw):\n    return a, r, k, kw, g",
     {"dec", "d", "g"}, {"f"}),
    ("import a.b.c, d as e\nfrom f import g as h, i", set(), {"a", "e", "h", "i"}),
    ("s = {k: v for k, v in pairs if k != skip}", {"pairs", "skip"}, {"s"}),
])
def test_scan_finds_the_free_and_the_bound_names(code: str, free: set[str],
                                                 bound: set[str]) -> None:
    assert _names.scan(ast.parse(code).body) == (free, bound)


def test_imports_sees_the_module_and_its_submodules_only() -> None:
    assert notebook.imports(ast.parse("def f():\n    import torch.nn"), "torch")
    assert notebook.imports(ast.parse("from torch.nn import functional"), "torch")
    assert not notebook.imports(ast.parse("import torchvision\nfrom . import torch"), "torch")


def test_the_book_cache_key_changes_when_torch_is_hidden(monkeypatch: pytest.MonkeyPatch) -> None:
    # Pages executed without PyTorch must not be reused once it is there, nor the other way.
    from rnnbook import buildinfo

    monkeypatch.delenv("RNNBOOK_NO_TORCH", raising=False)
    with_torch = buildinfo.cache_key()
    monkeypatch.setenv("RNNBOOK_NO_TORCH", "1")
    assert buildinfo.cache_key().endswith("-torchnone")
    installed = buildinfo.versions()["torch"] != "not installed"
    assert (buildinfo.cache_key() != with_torch) == installed

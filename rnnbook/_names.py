"""Which names a piece of Python code reads from outside, and which it binds (internal).

:mod:`rnnbook.notebook` asks it of every cell of a chapter: a cell that reads a name no cell
could define (because the library it came from is missing) is not run. Names are followed in
the order Python evaluates them, scope by scope:

- ``x = f(x)`` reads ``x`` before binding it: ``x`` is free; ``x += 1`` reads it too;
- in ``for i in items: ...``, ``with open(p) as f: ...`` and ``except E as err: ...`` the
  targets are bound before the body reads them;
- a function's or lambda's parameters and local assignments are its own; what its body reads
  from outside is read when it is *called*, so it counts as free only if nothing in the cell
  binds it; decorators, default values and class bases are read where the definition stands;
- a class body and a comprehension run at once, in scopes of their own.

Two rare forms are not followed: ``from m import *`` (the names it binds cannot be known from
the code) and ``global``/``nonlocal`` statements. A name bound in one branch of an ``if`` counts
as bound after it.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable

_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)
_COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)


def _arguments(args: ast.arguments) -> set[str]:
    every = [*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg]
    return {a.arg for a in every if a is not None}


class _Reader(ast.NodeVisitor):
    """Walks one scope in evaluation order, recording reads of names not yet bound in it."""

    def __init__(self, bound: Iterable[str] = ()) -> None:
        self.bound: set[str] = set(bound)
        self.free: set[str] = set()
        self.later: set[str] = set()       # read by function bodies: when called, not now

    def read(self, name: str) -> None:
        if name not in self.bound:
            self.free.add(name)

    def result(self) -> tuple[set[str], set[str]]:
        return self.free | (self.later - self.bound), self.bound

    def nested(self, nodes: Iterable[ast.AST], bound: Iterable[str]) -> set[str]:
        """The free names of a nested scope."""
        inner = _Reader(bound)
        for node in nodes:
            inner.visit(node)
        free, _ = inner.result()
        return free

    # --- names -----------------------------------------------------------------------------

    def visit_Name(self, node: ast.Name) -> None:
        if isinstance(node.ctx, ast.Load):
            self.read(node.id)
        else:
            self.bound.add(node.id)

    def visit_Import(self, node: ast.Import | ast.ImportFrom) -> None:
        self.bound |= {a.asname or a.name.partition(".")[0] for a in node.names if a.name != "*"}

    visit_ImportFrom = visit_Import

    def visit_ExceptHandler(self, node: ast.ExceptHandler) -> None:
        if node.type is not None:
            self.visit(node.type)
        if node.name:
            self.bound.add(node.name)
        for statement in node.body:
            self.visit(statement)

    # --- the value first, then the target --------------------------------------------------

    def visit_Assign(self, node: ast.Assign) -> None:
        self.visit(node.value)
        for target in node.targets:
            self.visit(target)

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        self.visit(node.value)
        if isinstance(node.target, ast.Name):
            self.read(node.target.id)
        self.visit(node.target)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        self.visit(node.annotation)
        if node.value is not None:
            self.visit(node.value)
        self.visit(node.target)

    def visit_NamedExpr(self, node: ast.NamedExpr) -> None:
        self.visit(node.value)
        self.visit(node.target)

    def visit_For(self, node: ast.For | ast.AsyncFor) -> None:
        self.visit(node.iter)
        self.visit(node.target)
        for statement in (*node.body, *node.orelse):
            self.visit(statement)

    visit_AsyncFor = visit_For

    # --- nested scopes ---------------------------------------------------------------------

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        for outside in (*node.decorator_list, *node.args.defaults,
                        *(d for d in node.args.kw_defaults if d is not None)):
            self.visit(outside)
        self.bound.add(node.name)
        self.later |= self.nested(node.body, _arguments(node.args))

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Lambda(self, node: ast.Lambda) -> None:
        for outside in (*node.args.defaults, *(d for d in node.args.kw_defaults if d is not None)):
            self.visit(outside)
        self.later |= self.nested([node.body], _arguments(node.args))

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        for outside in (*node.decorator_list, *node.bases, *(k.value for k in node.keywords)):
            self.visit(outside)
        for name in self.nested(node.body, ()):
            self.read(name)
        self.bound.add(node.name)

    def _comprehension(self, node: ast.AST, results: list[ast.expr]) -> None:
        assert isinstance(node, _COMPREHENSIONS)
        parts: list[ast.AST] = []
        for generator in node.generators:
            parts += [generator.iter, generator.target, *generator.ifs]
        for name in self.nested([*parts, *results], ()):
            self.read(name)

    def visit_ListComp(self, node: ast.ListComp) -> None:
        self._comprehension(node, [node.elt])

    def visit_SetComp(self, node: ast.SetComp) -> None:
        self._comprehension(node, [node.elt])

    def visit_GeneratorExp(self, node: ast.GeneratorExp) -> None:
        self._comprehension(node, [node.elt])

    def visit_DictComp(self, node: ast.DictComp) -> None:
        self._comprehension(node, [node.key, node.value])


def scan(nodes: Iterable[ast.AST], bound: Iterable[str] = ()) -> tuple[set[str], set[str]]:
    """The names code reads from outside (its free names) and the names it binds.

    Parameters
    ----------
    nodes : iterable of ast.AST
        The statements of one scope, such as a cell's ``ast.parse(code).body``.
    bound : iterable of str, optional
        Names already bound in the scope.

    Returns
    -------
    free : set of str
        Names read before this code binds them (or, in a function body, never bound by it).
    bound : set of str
        Every name the scope binds, ``bound`` included.

    Examples
    --------
    >>> free, bound = scan(ast.parse("import torch\\nnet = make(torch, lambda n: n + k)").body)
    >>> sorted(free), sorted(bound)
    (['k', 'make'], ['net', 'torch'])
    >>> sorted(scan(ast.parse("state = step(state)").body)[0])
    ['state', 'step']
    """
    reader = _Reader(bound)
    for node in nodes:
        reader.visit(node)
    return reader.result()

"""Which names a statement binds and reads when it runs, and what it imports.

Only what runs *now* counts: a function body runs later, so its reads do not make the
``def`` depend on anything; its decorators, defaults and annotations do. A class body runs
now, its methods' bodies do not. Comprehension variables are local to the comprehension.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["ClassBody", "ImportRef", "Imports", "StatementNames", "Updates", "analyze",
           "class_body", "first_attribute", "mangle", "resolve"]

# (level, module, ((name, bound as), ...)): ``from ..a import x as y`` is (2, "a", (("x", "y"),));
# ``import a as p`` is (0, "a", (("", "p"),)); ``import a.b`` is (0, "a.b", ()).
ImportRef = tuple[int, str, tuple[tuple[str, str], ...]]
Imports = frozenset[ImportRef]


@dataclass(frozen=True)
class StatementNames:
    """Names bound and read by a statement when it runs, and the imports it makes."""

    binds: frozenset[str]
    reads: frozenset[str]  # annotations included: they run unless annotations are lazy
    imports: Imports
    lazy_reads: frozenset[str] = frozenset()  # names read by annotations only


class _Names(ast.NodeVisitor):
    def __init__(self) -> None:
        self.binds: set[str] = set()
        self.reads: set[str] = set()
        self.imports: set[ImportRef] = set()
        self.annotation_reads: set[str] = set()

    def _annotation(self, node: ast.expr) -> None:
        inner = _Names()
        inner.visit(node)
        self.annotation_reads |= inner.reads | inner.annotation_reads

    def visit_Name(self, node: ast.Name) -> None:
        if isinstance(node.ctx, ast.Load):
            self.reads.add(node.id)
        else:
            self.binds.add(node.id)

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        if isinstance(node.target, ast.Name):
            self.reads.add(node.target.id)
        self.generic_visit(node)

    def _function(self, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda) -> None:
        # Only what runs at definition time: defaults, decorators and annotations.
        args = node.args
        for default in [*args.defaults, *args.kw_defaults]:
            if default is not None:
                self.visit(default)
        if isinstance(node, ast.Lambda):
            return
        self.binds.add(node.name)
        for decorator in node.decorator_list:
            self.visit(decorator)
        every = [*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg]
        for arg in every:
            if arg is not None and arg.annotation is not None:
                self._annotation(arg.annotation)
        if node.returns is not None:
            self._annotation(node.returns)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        self.visit(node.target)
        if node.value is not None:
            self.visit(node.value)
        self._annotation(node.annotation)

    visit_FunctionDef = _function
    visit_AsyncFunctionDef = _function
    visit_Lambda = _function

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self.binds.add(node.name)
        for expr in [*node.decorator_list, *node.bases, *(k.value for k in node.keywords)]:
            self.visit(expr)
        inner = _Names()
        for stmt in node.body:
            inner.visit(stmt)
        # The body's own names live in the class namespace; what it reads comes from outside.
        self.reads |= inner.reads
        self.imports |= inner.imports
        self.annotation_reads |= inner.annotation_reads

    def _comprehension(self, node: ast.AST) -> None:
        inner = _Names()
        inner.generic_visit(node)
        self.reads |= inner.reads - inner.binds
        self.imports |= inner.imports
        self.annotation_reads |= inner.annotation_reads

    visit_ListComp = _comprehension
    visit_SetComp = _comprehension
    visit_DictComp = _comprehension
    visit_GeneratorExp = _comprehension

    def visit_NamedExpr(self, node: ast.NamedExpr) -> None:
        self.binds.add(node.target.id)
        self.visit(node.value)

    def visit_Attribute(self, node: ast.Attribute) -> None:
        # ``physics.SPEED`` is read as such too: a new SPEED in physics re-runs this statement.
        # So is a longer chain (``ents.Base.HP``): a class patched in place keeps its name, and
        # only its changed attribute says which statements read what changed.
        if isinstance(node.ctx, ast.Load):
            chain = _dotted(node)
            if chain is not None:
                self.reads.add(chain)
        self.generic_visit(node)

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            bound = alias.asname or alias.name.split(".")[0]
            self.binds.add(bound)
            # ("", alias): the name the module itself is bound to, when it is the module.
            named = alias.asname is not None or "." not in alias.name
            self.imports.add((0, alias.name, (("", bound),) if named else ()))

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        pairs = tuple((a.name, a.asname or a.name) for a in node.names)
        self.binds.update(bound for _, bound in pairs)
        self.imports.add((node.level, node.module or "", pairs))

    def visit_ExceptHandler(self, node: ast.ExceptHandler) -> None:
        if node.name:
            self.binds.add(node.name)
        self.generic_visit(node)

    def visit_MatchAs(self, node: ast.MatchAs) -> None:
        if node.name:
            self.binds.add(node.name)
        self.generic_visit(node)

    def visit_MatchStar(self, node: ast.MatchStar) -> None:
        if node.name:
            self.binds.add(node.name)

    def visit_MatchMapping(self, node: ast.MatchMapping) -> None:
        if node.rest:
            self.binds.add(node.rest)
        self.generic_visit(node)


def _dotted(node: ast.Attribute) -> str | None:
    """``a.b.c`` for an attribute chain on a plain name, else None (``f().b``, ``x[0].b``)."""
    parts = [node.attr]
    value = node.value
    while isinstance(value, ast.Attribute):
        parts.append(value.attr)
        value = value.value
    if not isinstance(value, ast.Name):
        return None
    parts.append(value.id)
    return ".".join(reversed(parts))


def first_attribute(read: str) -> tuple[str, str | None]:
    """A read split into the name it starts from and the attribute it takes of that name.

    ``consts.Perm.W`` gives ``("consts", "Perm")``: consts must still have Perm (what Perm
    has is Perm's business); ``SPEED`` gives ``("SPEED", None)``.
    """
    base, dot, rest = read.partition(".")
    return (base, rest.partition(".")[0]) if dot else (base, None)


def analyze(tree: ast.AST) -> StatementNames:
    """The names ``tree`` (a statement or a module of statements) binds and reads."""
    names = _Names()
    names.visit(tree)
    return StatementNames(frozenset(names.binds), frozenset(names.reads | names.annotation_reads),
                          frozenset(names.imports),
                          frozenset(names.annotation_reads - names.reads))


def _root(node: ast.expr) -> str | None:
    """``X`` for ``X``, ``X[k]``, ``X.a.b`` and ``X.a[k]``; None for ``f()[k]`` and the like."""
    while isinstance(node, (ast.Subscript, ast.Attribute)):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


class Updates(ast.NodeVisitor):
    """Collects the names a statement changes from their own value, and the plain names it
    calls: ``X += 1``, ``X = f(X)``, ``X[k] = v``, ``del X[k]``, ``X.append(v)`` (see
    :mod:`sandbox.hot.effects`); attribute stores (``P.x = 5``) do not count."""

    def __init__(self) -> None:
        self.names: set[str] = set()
        self.calls: set[str] = set()  # plain names called: ``spawn(3)``

    def _add(self, node: ast.expr | None) -> None:
        name = _root(node) if node is not None else None
        if name is not None:
            self.names.add(name)

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        self._add(node.target)
        self.visit(node.value)

    def _targets(self, targets: Iterable[ast.expr], value: ast.expr | None) -> None:
        read = ({n.id for n in ast.walk(value) if isinstance(n, ast.Name)}
                if value is not None else set())
        for target in targets:
            if isinstance(target, (ast.Tuple, ast.List)):
                self._targets(target.elts, value)
            elif isinstance(target, ast.Starred):
                self._targets([target.value], value)
            elif isinstance(target, ast.Subscript):
                self._add(target)
            elif isinstance(target, ast.Name) and target.id in read:
                self.names.add(target.id)

    def visit_Assign(self, node: ast.Assign) -> None:
        self._targets(node.targets, node.value)
        self.visit(node.value)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        self._targets([node.target], node.value)
        if node.value is not None:
            self.visit(node.value)

    def visit_Delete(self, node: ast.Delete) -> None:
        for target in node.targets:
            if isinstance(target, ast.Subscript):
                self._add(target)

    def visit_Expr(self, node: ast.Expr) -> None:
        call = node.value
        if isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute):
            self._add(call.func.value)
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        if isinstance(node.func, ast.Name):
            self.calls.add(node.func.id)
        self.generic_visit(node)

    def visit_Lambda(self, node: ast.Lambda) -> None:
        pass

    # What a def, class or lambda body does runs later, if ever: not part of a chain.
    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        pass

    def visit_AsyncFunctionDef(self, node: ast.AsyncFunctionDef) -> None:
        pass

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        pass


@dataclass(frozen=True)
class ClassBody:
    """What a class statement's body binds: per name, its statements' texts and their reads.

    Patching a class compares two of these to find the attributes whose statements changed.
    Kept instead of the syntax tree: a tree is hundreds of small objects that every pass of
    the cyclic GC walks, while names and texts in tuples are not tracked by it at all.
    """

    texts: dict[str, tuple[str, ...]]
    reads: dict[str, tuple[str, ...]]
    nested: dict[str, ClassBody]  # classes defined in the body, by name


def mangle(name: str, class_name: str) -> str:
    """``name`` as Python stores it in class ``class_name`` (``__priv`` → ``_A__priv``)."""
    owner = class_name.lstrip("_")
    if not name.startswith("__") or name.endswith("__") or "." in name or not owner:
        return name
    return f"_{owner}{name}"


def class_body(node: ast.ClassDef, lines: list[str]) -> ClassBody:
    """The :class:`ClassBody` of ``node``; ``lines`` are the statement's lines (keepends).

    Names are stored as the class stores them: ``def __priv`` is ``_A__priv``.
    """
    texts: dict[str, list[str]] = {}
    reads: dict[str, set[str]] = {}
    nested: dict[str, ClassBody] = {}
    for stmt in node.body:
        first = min([stmt.lineno] + [d.lineno for d in getattr(stmt, "decorator_list", [])])
        chunk = "".join(lines[first - 1 : stmt.end_lineno])
        names = analyze(stmt)
        read = {mangle(n, node.name) for n in names.reads}
        updates = Updates()
        updates.visit(stmt)  # ``COLORS.append(5)`` in the body is part of COLORS's statements
        for name in names.binds | updates.names:
            name = mangle(name, node.name)
            texts.setdefault(name, []).append(chunk)
            reads.setdefault(name, set()).update(read)
        if isinstance(stmt, ast.ClassDef):  # the last definition is the one bound
            nested[mangle(stmt.name, node.name)] = class_body(stmt, lines)
    return ClassBody({k: tuple(v) for k, v in texts.items()},
                     {k: tuple(sorted(v)) for k, v in reads.items()}, nested)


def resolve(ref: ImportRef, package: str) -> list[str]:
    """Module names an import may load: ``from a import b`` gives ``a`` and ``a.b``."""
    level, module, pairs = ref
    if level:
        parts = package.split(".") if package else []
        if level - 1 > len(parts):
            return []
        base = parts[: len(parts) - (level - 1)]
        module = ".".join([*base, module] if module else base)
    if not module:
        return []
    names = [module]
    if "." in module:
        parts = module.split(".")
        names.extend(".".join(parts[:i]) for i in range(1, len(parts)))
    names.extend(f"{module}.{name}" for name, _ in pairs if name not in ("*", ""))
    return names

"""Objects made before a reload: the attributes building an object assigns, and the hint.

Hot reload patches methods in place but never runs ``__init__`` again, so an attribute a
reload added to ``__init__`` is missing on every object made before it. ``init_attributes``
finds what building an object assigns (``sandbox.stale`` uses it after reloads too), and
``stale_object_hint`` turns the AttributeError of such an object into "press F5".
"""

from __future__ import annotations

import dis
import functools
from types import CodeType

__all__ = ["init_attributes", "stale_object_hint"]


def stale_object_hint(exc: BaseException) -> str | None:
    """The hint for an object made before a reload added the attribute it lacks, else None.

    ``self.age = 0`` added to ``Enemy.__init__`` and read in ``step()``: hot reload patches
    the methods in place but does not run ``__init__`` again, so every Enemy made before the
    edit has no ``age`` (Flutter's "hot restart needed"). Told when building an object of
    its class now assigns that attribute (:func:`init_attributes`; the engine patches code in
    place, so this is the current code) — unless the error was raised inside that
    ``__init__`` itself, where the object is a new one.
    """
    if not isinstance(exc, AttributeError):
        return None
    name, obj = getattr(exc, "name", None), getattr(exc, "obj", None)
    if not isinstance(name, str) or obj is None or isinstance(obj, type):
        return None
    cls = type(obj)
    init = getattr(cls.__init__, "__code__", None)
    if init is None or name not in init_attributes(cls) or _raised_in(exc, init):
        return None
    return f"existing {cls.__name__} objects were made before this change: press F5 to restart"


def init_attributes(cls: type) -> frozenset[str]:
    """The attributes building a ``cls`` object assigns: ``self.age = 0`` in ``__init__``.

    Methods of the class that ``__init__`` uses (``self.reset()``) are followed too, and
    theirs, each once: a common way to set an object up.
    """
    names: set[str] = set()
    seen: set[CodeType] = set()
    todo = [getattr(getattr(cls, "__init__", None), "__code__", None)]
    while todo:
        code = todo.pop()
        if not isinstance(code, CodeType) or code in seen:
            continue
        seen.add(code)
        stored, used = _attribute_use(code)
        names |= stored
        todo.extend(_method_code(cls, attr) for attr in used)
    return frozenset(names)


def _method_code(cls: type, name: str) -> CodeType | None:
    """The code of the function ``name`` in ``cls`` or a base, found without running any."""
    for klass in cls.__mro__:
        if name in vars(klass):
            code = getattr(vars(klass)[name], "__code__", None)
            return code if isinstance(code, CodeType) else None
    return None


@functools.lru_cache(maxsize=4096)
def _attribute_use(code: CodeType) -> tuple[frozenset[str], frozenset[str]]:
    """The attribute names ``code`` (or a function nested in it) assigns, and those it reads.

    Cached by code object: after a reload every class is looked at again, and ``dis`` of
    400 unchanged ``__init__``s cost 25 ms a reload (a cache hit is a hash of the code).
    """
    stored: set[str] = set()
    used: set[str] = set()
    for i in dis.get_instructions(code):
        if i.opname == "STORE_ATTR":
            stored.add(i.argval)
        elif i.opname in ("LOAD_ATTR", "LOAD_METHOD"):
            used.add(i.argval)
    for const in code.co_consts:
        if isinstance(const, CodeType):
            inner_stored, inner_used = _attribute_use(const)
            stored |= inner_stored
            used |= inner_used
    return frozenset(stored), frozenset(used)


def _raised_in(exc: BaseException, code: CodeType) -> bool:
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code is code:
            return True
        tb = tb.tb_next
    return False

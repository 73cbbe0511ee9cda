"""Tracebacks show the running source: ``linecache`` holds it from the import on.

The engine's entries split a module's text into lines only when something asks for them
(``tracking._RunningLines``); these tests ask the way Python's own tools do (``traceback``,
``inspect``, ``linecache.checkcache``) after the file on disk has changed without a reload,
with the module imported from a fresh parse and from the parse cache. The oracle is the
source that ran, compiled by ``python`` itself.
"""

from __future__ import annotations

import inspect
import linecache
import sys
import traceback
from pathlib import Path

import pytest

from sandbox.hot import Reloader

RUNNING = '''"""The module as imported."""


def boom():
    value = 1
    return value / 0
'''
ON_DISK = '''"""Saved after the import, not reloaded."""
import os


def boom():
    return "a different line"
'''


@pytest.fixture(params=["parsed", "from the cache"])
def root(request: pytest.FixtureRequest, tmp_path: Path,
         monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    (tmp_path / "main.py").write_text(RUNNING)
    if request.param == "from the cache":
        with Reloader(tmp_path) as r:
            r.import_module("main")
    return tmp_path


def python_frames() -> list[tuple[int, str]]:
    """Line numbers and texts of ``boom``'s frame as ``python`` shows them for RUNNING."""
    namespace: dict[str, object] = {}
    exec(compile(RUNNING, "<running>", "exec"), namespace)
    linecache.cache["<running>"] = (len(RUNNING), None, RUNNING.splitlines(True), "<running>")
    try:
        namespace["boom"]()  # type: ignore[operator]
    except ZeroDivisionError as exc:
        return [(f.lineno or 0, f.line or "") for f in traceback.extract_tb(exc.__traceback__)
                if f.name == "boom"]
    finally:
        del linecache.cache["<running>"]
    raise AssertionError("boom did not raise")


def test_a_traceback_shows_the_running_lines_after_the_file_changed(root: Path) -> None:
    with Reloader(root) as r:
        main = r.import_module("main")
        (root / "main.py").write_text(ON_DISK)  # no reload: the old code still runs
        linecache.checkcache()  # what IPython and pdb do: the entry is not dropped for it
        with pytest.raises(ZeroDivisionError) as caught:
            main.boom()
        frames = [(f.lineno, f.line) for f in traceback.extract_tb(caught.value.__traceback__)
                  if f.name == "boom"]
        assert frames == python_frames() == [(6, "return value / 0")]
        text = "".join(traceback.format_exception(caught.value))
        assert "return value / 0" in text and "a different line" not in text


def test_inspect_and_the_loader_give_the_running_source(root: Path) -> None:
    with Reloader(root) as r:
        main = r.import_module("main")
        (root / "main.py").write_text(ON_DISK)
        assert inspect.getsource(main.boom) == RUNNING[RUNNING.index("def boom") :]
        assert main.__loader__.get_source("main") == RUNNING
        assert "".join(linecache.getlines(main.__file__, vars(main))) == RUNNING


def test_a_reload_shows_its_lines_and_close_gives_the_disk_back(root: Path) -> None:
    with Reloader(root) as r:
        main = r.import_module("main")
        edited = RUNNING.replace("value = 1", "value = 2")
        (root / "main.py").write_text(edited)
        assert r.reload().ok
        (root / "main.py").write_text(ON_DISK)  # changed again, not reloaded
        assert linecache.getline(main.__file__, 5) == "    value = 2\n"
    linecache.checkcache(main.__file__)
    assert linecache.getline(main.__file__, 6) == '    return "a different line"\n'

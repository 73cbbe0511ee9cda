"""docs/architecture.md's module map is true: a row for every module, each its first docstring line.

The map is read from the document (the table under "## Module map"); the modules from the
files under ``sandbox/`` and their docstrings with ``ast``, as a reader of the tree would.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
ROW = re.compile(r"^\| `(?P<module>[^`]+)` \| (?P<text>.*) \|$")


def module_map(document: str) -> list[tuple[str, str]]:
    """The (module path, text) rows of the table under ``## Module map``, in order."""
    section = document.split("\n## Module map\n", 1)[1].split("\n## ", 1)[0]
    return [(m["module"], m["text"]) for line in section.splitlines()
            if (m := ROW.match(line)) is not None]


def first_line(path: Path) -> str:
    """The module's docstring's one-line summary ("" without a docstring)."""
    docstring = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
    return docstring.splitlines()[0] if docstring else ""


def test_module_map_parses_the_table_and_nothing_else() -> None:
    document = ("intro\n## Module map\n\n| module | what it is |\n|---|---|\n"
                "| `sandbox/a.py` | A, with `code` \\| and more. |\n| not a row |\n"
                "\n## Next\n| `sandbox/b.py` | outside the section |\n")
    assert module_map(document) == [("sandbox/a.py", "A, with `code` \\| and more.")]


def test_every_row_is_a_module_and_says_its_first_docstring_line() -> None:
    rows = module_map((REPO / "docs" / "architecture.md").read_text(encoding="utf-8"))
    assert len(rows) > 50
    modules = [module for module, _ in rows]
    assert len(modules) == len(set(modules)), "a module has two rows"
    missing = [module for module in modules if not (REPO / module).is_file()]
    assert missing == [], f"rows for modules that do not exist: {missing}"
    wrong = [f"{module}:\n  map: {text}\n  doc: {first_line(REPO / module)}"
             for module, text in rows if text != first_line(REPO / module)]
    assert wrong == [], "rows that are not their module's first docstring line:\n" + \
        "\n".join(wrong)


def test_every_module_has_a_row() -> None:
    rows = {module for module, _ in
            module_map((REPO / "docs" / "architecture.md").read_text(encoding="utf-8"))}
    modules = {path.relative_to(REPO).as_posix() for path in (REPO / "sandbox").rglob("*.py")}
    assert modules - rows == set(), "modules without a row in docs/architecture.md's map"

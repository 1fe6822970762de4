"""The page helpers of every app sit in the bottom layer: ``rcf.core.pages`` imports no other
app of the platform (who the user is and what roles they hold is ``rcf.accounts.pages``)."""

from __future__ import annotations

import ast
from pathlib import Path

import rcf.core.pages


def test_it_keeps_the_page_helpers_free_of_other_apps() -> None:
    tree = ast.parse(Path(rcf.core.pages.__file__).read_text())
    imported = [
        node.module or ""
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.level == 0
    ] + [
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    ]
    outside = [
        name for name in imported if name.startswith("rcf") and not name.startswith("rcf.core")
    ]
    assert outside == []

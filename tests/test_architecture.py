"""The layering holds: the import contracts in pyproject.toml, thin routes, and SQL only in storage."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MAX_ROUTE_LINES = 30
SQL = re.compile(r"\b(?:SELECT\s.+\sFROM|INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|CREATE\s+(?:TABLE|INDEX))\b")


def _modules(folder: str):
    for path in sorted((ROOT / folder).rglob("*.py")):
        yield path, ast.parse(path.read_text(encoding="utf-8"))


def test_import_contracts_are_kept():
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint), "--no-cache"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_route_is_thin():
    long_routes = []
    for path, tree in _modules("server/web"):
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef) and any(
                isinstance(d, ast.Call) and isinstance(d.func, ast.Attribute) and d.func.attr in ("get", "post", "put", "delete", "route")
                for d in node.decorator_list
            ):
                lines = node.end_lineno - node.lineno + 1
                if lines > MAX_ROUTE_LINES:
                    long_routes.append(f"{path.relative_to(ROOT)}:{node.name} ({lines} lines)")
    assert not long_routes, "routes should parse input, call one domain function and shape the output: " + ", ".join(long_routes)


def test_no_sql_outside_storage():
    found = []
    for folder in ("server", "parsers"):
        for path, tree in _modules(folder):
            if "storage" in path.relative_to(ROOT).parts:
                continue
            for node in ast.walk(tree):
                if isinstance(node, ast.Constant) and isinstance(node.value, str) and SQL.search(node.value):
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not found, "SQL belongs in server/storage: " + ", ".join(found)

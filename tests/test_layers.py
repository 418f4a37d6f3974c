"""Unit: imports run one way — kompetensi ← regions ← training ← evaluations — and services
never import tasks (tasks call services; a service queues a task by its name).

Reads the source (function-level imports included), so a lazy import cannot hide a wrong
direction. The URL composition roots may name every app.
"""

import ast
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
LAYERS = ["kompetensi", "regions", "training", "evaluations"]
# May import upwards: the URL composition root, and (until the API split lands) the API modules.
ALLOWED = {
    "kompetensi/urls.py",
    "kompetensi/api/urls.py",
    "regions/api.py",  # imports training.api helpers; being moved to kompetensi/api separately
}


def _imports(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module


def _sources(package: str):
    for path in sorted((ROOT / package).rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        if "/migrations/" not in relative:
            yield relative, path


def test_lower_layers_never_import_higher_ones():
    wrong = []
    for rank, package in enumerate(LAYERS):
        higher = tuple(LAYERS[rank + 1 :])
        for relative, path in _sources(package):
            if relative in ALLOWED or relative.startswith("kompetensi/api/"):
                continue
            wrong += [
                f"{relative}: {name}" for name in _imports(path) if name.split(".")[0] in higher
            ]
    assert wrong == []


def test_services_never_import_tasks():
    wrong = []
    for package in LAYERS:
        for relative, path in _sources(package):
            if "/services/" not in relative and not relative.endswith("/services.py"):
                continue
            source = path.read_text(encoding="utf-8")
            wrong += [
                f"{relative}: {name}"
                for name in _imports(path)
                # kompetensi.tasks is the helper library (enqueue_on_commit), not an app's tasks
                if (name.endswith(".tasks") or name == "tasks") and name != "kompetensi.tasks"
            ]
            wrong += [
                f"{relative}: from {'.' * node.level}{node.module or ''} import "
                + ", ".join(alias.name for alias in node.names)
                for node in ast.walk(ast.parse(source))
                if isinstance(node, ast.ImportFrom)
                and node.level
                and (
                    (node.module or "").endswith("tasks")
                    or any(alias.name == "tasks" for alias in node.names)
                )
            ]
    assert wrong == []

"""The layout holds: each app imports only what sits below it, at the top of its modules.

corpus <- annotations <- {learning <- preannotation, imports, exports, review}; formats
(pure readers and writers) and corpus/nlp (pure spaCy) import no app; config's shared base
(errors, the API error handler, middleware, env) imports no app either, and only config.urls
wires them all.
Every import counts, function-level and TYPE_CHECKING ones included.
"""

import ast
import functools
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FOLDERS = (
    "config",
    "formats",
    "corpus",
    "annotations",
    "learning",
    "preannotation",
    "imports",
    "exports",
    "review",
    "workers",
)

# `workers` (heartbeats, recovery) sits at the bottom with config: every app may use it.
_BASE = {"config", "config.errors", "formats", "corpus.nlp", "workers"}
# What each part may import besides itself; anything of ours not listed is forbidden,
# `tests` and `bench` included.
MAY_IMPORT = {
    "config.errors": set(),
    "config": {"config.errors"},
    "config.urls": {
        *_BASE,
        "corpus",
        "annotations",
        "learning",
        "preannotation",
        "imports",
        "exports",
        "review",
    },
    "formats": {"config.errors"},
    "corpus.nlp": {"formats", "config.errors"},
    "corpus": _BASE,
    "annotations": {*_BASE, "corpus"},
    "learning": {*_BASE, "corpus", "annotations"},
    "preannotation": {*_BASE, "corpus", "annotations", "learning"},
    "imports": {*_BASE, "corpus", "annotations"},
    "exports": {*_BASE, "corpus", "annotations"},
    "review": {*_BASE, "corpus", "annotations"},
    "workers": {"config", "config.errors"},
}


@dataclass(frozen=True)
class Import:
    path: Path
    line: int
    module: str  # the importing module
    target: str  # the imported name, absolute (`corpus.models.Corpus`)
    in_function: bool


def part_of(name: str) -> str | None:
    """Return the part of the layout a dotted name belongs to; None for other packages."""
    if name in {"config.urls", "config.errors"} or name.startswith(
        ("config.urls.", "config.errors.")
    ):
        return ".".join(name.split(".")[:2])
    if name == "corpus.nlp" or name.startswith("corpus.nlp."):
        return "corpus.nlp"
    top = name.split(".")[0]
    if top in {*FOLDERS, "tests", "bench"}:
        return top
    return None


def imports_of(source: str, *, module: str, path: Path, package: bool = False) -> list[Import]:
    """Every import in `source`, wherever it stands, with relative names made absolute."""
    found = []
    here = module.split(".") if package else module.split(".")[:-1]
    for scope, node in _walk(ast.parse(source, str(path)), in_function=False):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif node.level:
            base = [*here[: len(here) - node.level + 1], *filter(None, [node.module])]
            targets = [".".join([*base, alias.name]) for alias in node.names]
        else:
            targets = [f"{node.module}.{alias.name}" for alias in node.names]
        found += [Import(path, node.lineno, module, target, scope) for target in targets]
    return found


def _walk(node: ast.AST, *, in_function: bool):
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.Import | ast.ImportFrom):
            yield in_function, child
        inner = in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
        yield from _walk(child, in_function=inner)


@functools.cache
def project_imports() -> tuple[Import, ...]:
    """Every import of every module in FOLDERS (read once per run)."""
    found = []
    for folder in FOLDERS:
        for path in sorted((ROOT / folder).rglob("*.py")):
            relative = path.relative_to(ROOT).with_suffix("")
            package = relative.name == "__init__"
            parts = relative.parts[:-1] if package else relative.parts
            found += imports_of(
                path.read_text(encoding="utf-8"),
                module=".".join(parts),
                path=path.relative_to(ROOT),
                package=package,
            )
    return tuple(found)


def violations(imports: Iterable[Import]) -> list[str]:
    """One line per import against MAY_IMPORT: where it is, what it imports, why not."""
    found = []
    for item in imports:
        source, target = part_of(item.module), part_of(item.target)
        if target is None or target == source or target in MAY_IMPORT[source]:
            continue
        found.append(
            f"{item.path}:{item.line}: {item.module} imports {item.target} "
            f"({source} may not import {target})"
        )
    return found


def test_every_part_imports_only_what_sits_below_it():
    imports = project_imports()
    assert {part_of(item.module) for item in imports} == set(MAY_IMPORT)
    problems = violations(imports)
    assert not problems, "Imports against the layout's order:\n" + "\n".join(problems)


def test_our_modules_are_imported_at_the_top_never_inside_a_function():
    # A function-level import is how a cycle gets dodged; third-party packages (spaCy,
    # loaded lazily) are not ours and may be imported where they are needed.
    problems = [
        f"{item.path}:{item.line}: {item.module} imports {item.target} inside a function"
        for item in project_imports()
        if item.in_function and part_of(item.target) is not None
    ]
    assert not problems, "Function-level imports of our modules:\n" + "\n".join(problems)


def test_a_forbidden_import_is_named_with_its_module_and_line_wherever_it_stands():
    source = (
        "from annotations.models import Span\n"
        "from . import tasks\n"
        "def run():\n"
        "    from exports.records import record\n"
        "    import tests.factories\n"
    )
    imports = imports_of(source, module="imports.jobs", path=Path("imports/jobs.py"))
    assert violations(imports) == [
        "imports/jobs.py:4: imports.jobs imports exports.records.record "
        "(imports may not import exports)",
        "imports/jobs.py:5: imports.jobs imports tests.factories (imports may not import tests)",
    ]
    assert [item.target for item in imports if item.in_function] == [
        "exports.records.record",
        "tests.factories",
    ]
    assert imports[1].target == "imports.tasks"

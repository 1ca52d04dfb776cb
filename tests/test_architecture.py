"""The architecture holds: the front ends go through one door, and the core's
packages do not import each other in circles (docs/architecture.md)."""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

#: what a front end (desktop/, signing/cli/) may import from the core
FRONT_DOOR = ("signing.api", "signing.errors", "signing.model")
#: the core's packages; a top-level module (errors, secrets, ...) is its own node
PACKAGES = (
    "model",
    "certs",
    "pdf",
    "net",
    "appearance",
    "keys",
    "trust",
    "validation",
    "sign",
    "reports",
    "cli",
)


def _module_name(path: Path) -> tuple[str, bool]:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    is_package = parts[-1] == "__init__"
    return ".".join(parts[:-1] if is_package else parts), is_package


def _imports(path: Path) -> list[tuple[int, str, tuple[str, ...]]]:
    """(line, absolute module, imported names) of every import in ``path``,
    lazy ones inside functions included."""
    name, is_package = _module_name(path)
    base = name.split(".") if is_package else name.split(".")[:-1]
    found: list[tuple[int, str, tuple[str, ...]]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, a.name, ()) for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parent = base[: len(base) - node.level + 1]
                module = ".".join(parent + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            found.append((node.lineno, module, tuple(a.name for a in node.names)))
    return found


def _front_end_files() -> list[Path]:
    return sorted((ROOT / "desktop").rglob("*.py")) + sorted((ROOT / "signing/cli").rglob("*.py"))


def _through_the_door(module: str, names: tuple[str, ...]) -> bool:
    if not (module == "signing" or module.startswith("signing.")):
        return True
    if module.startswith("signing.cli"):
        return True
    if module == "signing":
        return set(names) <= {"__version__", "api", "errors"}
    return any(module == door or module.startswith(door + ".") for door in FRONT_DOOR)


def test_front_ends_use_only_the_api() -> None:
    """desktop/ and signing/cli/ reach the core through signing.api (plus the
    error types and the plain model types the API returns)."""
    wrong = [
        f"{path.relative_to(ROOT)}:{line}: {module}"
        for path in _front_end_files()
        for line, module, names in _imports(path)
        if not _through_the_door(module, names)
    ]
    assert not wrong, "front end imports a core module directly:\n" + "\n".join(wrong)


def _importers(folder: str, top: str) -> list[str]:
    """Every import of ``top`` or a module under it in ``folder``, as path:line: module."""
    return [
        f"{path.relative_to(ROOT)}:{line}: {module}"
        for path in sorted((ROOT / folder).rglob("*.py"))
        for line, module, _names in _imports(path)
        if module == top or module.startswith(top + ".")
    ]


@pytest.mark.parametrize(
    "library", ["pyhanko", "pyhanko_certvalidator", "asn1crypto", "cryptography"]
)
def test_desktop_never_imports_the_crypto_libraries(library: str) -> None:
    wrong = _importers("desktop", library)
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("gui", ["PySide6", "shiboken6", "desktop"])
def test_the_core_never_imports_the_gui(gui: str) -> None:
    """signing/ stays GUI-free: no import of Qt or desktop/, not even a lazy one."""
    wrong = _importers("signing", gui)
    assert not wrong, "\n".join(wrong)


def _node(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] != "signing" or len(parts) == 1:
        return None
    return "signing." + parts[1]


def _package_graph() -> dict[str, dict[str, list[str]]]:
    """package -> imported package -> the imports that make the edge."""
    graph: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for path in sorted((ROOT / "signing").rglob("*.py")):
        name, _ = _module_name(path)
        source = _node(name)
        if source is None or source == "signing.api":
            continue
        for line, module, names in _imports(path):
            targets = [module]
            if module == "signing":
                targets = [f"signing.{n}" for n in names]
            for target in targets:
                node = _node(target)
                if node is not None and node != source:
                    graph[source][node].append(f"{path.relative_to(ROOT)}:{line}")
    return graph


def test_core_packages_have_no_cycles() -> None:
    graph = _package_graph()
    cycles: list[str] = []

    def visit(node: str, stack: list[str]) -> None:
        for nxt in graph.get(node, {}):
            if nxt in stack:
                loop = [*stack[stack.index(nxt) :], nxt]
                cycles.append(" -> ".join(loop) + f" (e.g. {graph[node][nxt][0]})")
            elif len(stack) < len(graph) + 1:
                visit(nxt, [*stack, nxt])

    for start in list(graph):
        visit(start, [start])
    assert not cycles, "package cycle:\n" + "\n".join(sorted(set(cycles))[:10])


@pytest.mark.parametrize(
    ("package", "must_not_import"),
    [
        ("signing.model", {p for p in PACKAGES if p != "model"}),
        ("signing.certs", {p for p in PACKAGES if p not in ("model", "certs")}),
        ("signing.trust", {"validation", "sign", "reports", "cli", "keys", "appearance"}),
        ("signing.validation", {"sign", "reports", "cli", "keys", "appearance"}),
        ("signing.reports", {"cli", "keys", "appearance"}),
    ],
)
def test_floors_stay_below(package: str, must_not_import: set[str]) -> None:
    """The layering of docs/architecture.md: the neutral floor imports
    nothing above it; trust never reaches into validation."""
    above = {f"signing.{p}" for p in must_not_import}
    edges = _package_graph().get(package, {})
    wrong = {target: where[:3] for target, where in edges.items() if target in above}
    assert not wrong, wrong


def test_every_package_says_what_it_owns() -> None:
    for package in PACKAGES:
        init = ROOT / "signing" / package / "__init__.py"
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))) or ""
        assert len(doc.split()) >= 20, f"{init.relative_to(ROOT)} needs its one-paragraph docstring"


def _module_graph() -> dict[str, set[str]]:
    names = {_module_name(p)[0] for p in (ROOT / "signing").rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for path in sorted((ROOT / "signing").rglob("*.py")):
        name, _ = _module_name(path)
        targets: set[str] = set()
        for _line, module, imported in _imports(path):
            for target in (module, *(f"{module}.{n}" for n in imported)):
                if target in names and target != name and target != "signing":
                    targets.add(target)
        graph[name] = targets
    return graph


def test_core_modules_have_no_cycles() -> None:
    """No two modules of the core import each other, even lazily (a lazy
    import that closes a circle is still a design that bounces back)."""
    graph = _module_graph()
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    circles: list[list[str]] = []

    def connect(v: str) -> None:  # Tarjan's strongly connected components
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph[v]:
            if w not in index:
                connect(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                circles.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            connect(v)
    assert not circles, circles

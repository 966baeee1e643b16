"""Imports run one way: the library (keras_mccnet) never imports the application layers
(keras_mccnet.training, keras_mccnet.export); only the CLI layer sits on top of all three. No
module of the package imports the repository's top-level `training` / `export` entry points."""

import ast
import pathlib

PACKAGE = pathlib.Path(__file__).resolve().parents[1] / "keras_mccnet"
APPLICATION = ("keras_mccnet.training", "keras_mccnet.export")
ENTRY_POINTS = ("training", "export")


def _module_name(path: pathlib.Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imported(path: pathlib.Path, module: str) -> set[str]:
    """Every module that `path` (module `module`) imports, lazily inside functions too,
    relative imports resolved, `importlib.import_module("...")` included."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            names.add(base)
            names.update(f"{base}.{a.name}" for a in node.names)  # from pkg import submodule
        elif (isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "import_module"
              and node.args and isinstance(node.args[0], ast.Constant)):
            names.add(node.args[0].value)
    return names


def _within(name: str, packages) -> bool:
    return any(name == p or name.startswith(p + ".") for p in packages)


def _may_import_application(module: str) -> bool:
    return (module == "keras_mccnet.cli" or _within(module, ("keras_mccnet.commands",))
            or _within(module, APPLICATION))


def test_the_library_never_imports_training_or_export():
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        module = _module_name(path)
        for name in _imported(path, module):
            if _within(name, ENTRY_POINTS):
                offenders.append(f"{module} imports the top-level entry point {name}")
            elif _within(name, APPLICATION) and not _may_import_application(module):
                offenders.append(f"{module} imports {name}")
    assert not offenders, "\n".join(offenders)


def test_the_scan_sees_lazy_relative_and_dynamic_imports(tmp_path):
    # The scan itself: an import hidden in a function, a relative one and import_module count.
    path = tmp_path / "probe.py"
    path.write_text("def f():\n    from ..training import train\n    import export.cli\n"
                    "    importlib.import_module('keras_mccnet.export.tflite')\n")
    names = _imported(path, "keras_mccnet.data.probe")
    assert "keras_mccnet.training.train" in names
    assert "export.cli" in names and "keras_mccnet.export.tflite" in names

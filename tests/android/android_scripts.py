"""Loads the Python scripts of android_demo/tools as modules, for the tests beside this file."""

import importlib.util
import pathlib

REPO = pathlib.Path(__file__).resolve().parents[2]
TOOLS = REPO / "android_demo" / "tools"


def load_tool(name: str):
    """The module of android_demo/tools/<name>.py (the folder is not a package)."""
    spec = importlib.util.spec_from_file_location(name, TOOLS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module

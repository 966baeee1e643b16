"""Loads web_demo/tools/drive_page.py (the folder is not a package) for the tests beside it."""

import importlib.util
import pathlib

REPO = pathlib.Path(__file__).resolve().parents[2]


def load_driver():
    path = REPO / "web_demo/tools/drive_page.py"
    spec = importlib.util.spec_from_file_location("drive_page", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module

"""The LiteRT Kotlin API vendored for the app's type-check: the version the catalog pins, unedited.

android_demo/typecheck/run_typecheck.sh (part of `make test`) compiles the app against these files;
a check against another LiteRT version than the app builds with, or against sources edited to make
the app compile, would prove nothing.
"""

import hashlib
import re
import tomllib

from android_scripts import REPO

CATALOG = REPO / "android_demo/gradle/libs.versions.toml"
VENDORED = REPO / "android_demo/typecheck/vendor/litert"
API = VENDORED / "src/com/google/ai/edge/litert"


def upstream_text() -> str:
    return (VENDORED / "UPSTREAM.md").read_text()


def test_vendored_litert_version_is_the_catalog_pin():
    pinned = tomllib.loads(CATALOG.read_text())["versions"]["litert"]
    vendored = re.search(r'^litert_version = "([^"]+)"$', upstream_text(), re.M)
    assert vendored, "UPSTREAM.md must carry a line litert_version = \"X.Y.Z\""
    assert vendored.group(1) == pinned


def test_vendored_files_are_the_listed_upstream_bytes():
    listed = dict(re.findall(r"^\| `([A-Za-z]+\.kt)` \|.*\| ([0-9a-f]{64}) \|$", upstream_text(), re.M))
    on_disk = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in API.glob("*.kt")}
    assert listed and on_disk == listed


def test_vendored_api_is_the_2x_one_without_the_model_class():
    model_kt = (API / "Model.kt").read_text()
    assert not re.search(r"^class Model\b", model_kt, re.M)
    assert "fun getInputTensorType(inputName: String" in model_kt
    assert "assetManager: AssetManager,\n      assetName: String," in model_kt


def test_license_and_notice_travel_with_the_sources():
    assert "Apache License" in (VENDORED / "LICENSE").read_text()
    assert "google-ai-edge/LiteRT" in (VENDORED / "NOTICE").read_text()


def test_catalog_declares_no_litert_gpu_at_a_version_that_bundles_the_gpu_accelerator():
    catalog = tomllib.loads(CATALOG.read_text())
    major_minor = tuple(int(x) for x in catalog["versions"]["litert"].split(".")[:2])
    gpu = [k for k, v in catalog["libraries"].items() if v.get("name") == "litert-gpu"]
    # From 2.3.0 the GPU accelerator is the separate litert-gpu artifact; before, it is in litert.
    assert bool(gpu) == (major_minor >= (2, 3))

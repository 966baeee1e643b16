"""`mccnet web`: model preparation errors and what the local server serves (no browser here)."""

import json
import threading
import urllib.error
import urllib.request

import pytest

from keras_mccnet.export.metadata import build_metadata, tensor_entry, write_metadata
from keras_mccnet import cli
from keras_mccnet.commands import web


def fake_export(folder, stem="net_fp32"):
    """A .tflite stand-in (the server does not parse it) with real exporter metadata beside it."""
    path = folder / f"{stem}.tflite"
    path.write_bytes(b"TFL3 not a real model")
    shape = [1, 64, 64, 3]
    write_metadata(folder / f"{stem}.json", build_metadata(
        path.name, "net", "0.1.0", "fp32",
        [tensor_entry("left", shape, "float32"), tensor_entry("right", shape, "float32")],
        [tensor_entry("deblurred", shape, "float32")], tile=64, overlap=8))
    return path


@pytest.fixture
def served(tmp_path):
    model = fake_export(tmp_path)
    server = web.make_server(model)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", model
    server.shutdown()
    server.server_close()


def get(url):
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status, response.headers, response.read()


def test_web_is_a_registered_subcommand(capsys):
    assert cli.COMMANDS["web"][0] == "keras_mccnet.commands.web"
    with pytest.raises(SystemExit) as e:
        cli.main(["web", "--help"])
    assert e.value.code == 0
    out = capsys.readouterr().out
    assert "--model" in out and "--port" in out


def test_page_model_and_sample_are_served_cross_origin_isolated(served):
    base, model = served
    status, headers, body = get(f"{base}/")
    assert status == 200 and b"src/app.js" in body
    # Without these two headers the page is not cross-origin isolated: no WASM threads.
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert headers["Cross-Origin-Embedder-Policy"] == "require-corp"
    config = json.loads(get(f"{base}/config.json")[2])
    assert config == {"model": "model/net_fp32.tflite", "metadata": "model/net_fp32.json"}
    assert get(f"{base}/{config['model']}")[2] == model.read_bytes()
    assert json.loads(get(f"{base}/{config['metadata']}")[2])["tile"] == {"size": 64, "overlap": 8}
    assert get(f"{base}/sample/sample_L.png")[2] == (web.SAMPLE_DIR / "sample_L.png").read_bytes()
    status, headers, _ = get(f"{base}/src/tiling.js")
    assert status == 200 and headers["Content-Type"].startswith("text/javascript")


@pytest.mark.parametrize("path", ["/Makefile", "/../Makefile", "/%2e%2e/README.md",
                                  "/package.json", "/setup.sh", "/tools/drive_page.py",
                                  "/node_modules/esbuild/package.json", "/model/other.tflite"])
def test_nothing_outside_the_page_is_served(served, path):
    base, _ = served
    with pytest.raises(urllib.error.HTTPError) as e:
        get(base + path)
    assert e.value.code == 404


def test_a_tflite_is_taken_as_is_and_checked(tmp_path):
    model = fake_export(tmp_path)
    assert web.prepare_model(str(model), tmp_path / "unused") == str(model)
    with pytest.raises(SystemExit, match="nope.tflite: file not found"):
        web.prepare_model(str(tmp_path / "nope.tflite"), tmp_path)
    (tmp_path / "net_fp32.json").unlink()
    with pytest.raises(SystemExit, match="metadata JSON not found"):
        web.prepare_model(str(model), tmp_path)


def test_untrained_or_missing_models_are_refused(tmp_path):
    with pytest.raises(SystemExit, match="mccnet_base has no trained weights"):
        web.prepare_model("mccnet_base", tmp_path)
    with pytest.raises(SystemExit, match="--model .*missing.keras"):
        web.prepare_model(str(tmp_path / "missing.keras"), tmp_path)
    with pytest.raises(SystemExit, match="overlap must be in"):
        web.prepare_model("mccnet_tiny", tmp_path, tile=64, overlap=64)


def test_default_model_is_the_shipped_pretrained_one():
    from keras_mccnet.pretrained import available

    model, source = web.resolve_model(None)
    shipped = available()[0]
    assert source["kind"] == "preset" and source["random_init"] is False
    assert (source["preset"], source["weights"]) == (shipped.preset, shipped.name)
    assert model.name == shipped.preset


def test_missing_litert_files_name_make_web(monkeypatch, tmp_path):
    monkeypatch.setattr(web, "LITERT_BUNDLE", tmp_path / "vendor/litert.js")
    with pytest.raises(SystemExit, match="make web"):
        web.require_web_assets()

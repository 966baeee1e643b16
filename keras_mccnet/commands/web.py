"""`mccnet web`: the browser demo (web_demo/) served locally, with an exported model.

    mccnet web                                  # the shipped pretrained model, exported first
    mccnet web --model runs/dpdd --port 8080    # a run folder / .keras file / preset, exported
    mccnet web --model exported/mccnet_base_fp16.tflite   # an export as is (its .json beside it)

The page (web_demo/index.html) runs the model with LiteRT.js in a Web Worker. Its JavaScript
comes from the npm package @litertjs/core, installed by `make web` (npm ci in web_demo/), never
from a CDN. The server sends the cross-origin-isolation headers, so the WASM backend may use
threads, and serves only: web_demo's page and sources, the LiteRT.js bundle and wasm files, the
model and its metadata, and the Android demo's bundled sample pair.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import pathlib
import posixpath
import sys
import urllib.parse

REPO = pathlib.Path(__file__).resolve().parents[2]
WEB_DEMO = REPO / "web_demo"
SAMPLE_DIR = REPO / "android_demo/app/src/main/assets/sample"
LITERT_WASM = WEB_DEMO / "node_modules/@litertjs/core/wasm"
LITERT_BUNDLE = WEB_DEMO / "vendor/litert.js"
# The page's own files; node_modules is reachable only for the LiteRT.js wasm folder.
STATIC = ("index.html", "style.css", "src/", "vendor/", "node_modules/@litertjs/core/wasm/")
# Smaller than io_spec.DEFAULT_TILE: a browser tab holds one tile's activations at a time, and
# 256-px tiles give the progress bar something to show on small photos.
DEFAULT_TILE, DEFAULT_OVERLAP = 256, 32


def add_arguments(parser):
    parser.add_argument("--model", default=None,
                        help="an exported .tflite (metadata .json beside it), a .keras file, a "
                             "training run folder, or a preset with shipped weights (default: "
                             "the shipped pretrained model)")
    parser.add_argument("--port", type=int, default=8000, help="port (default 8000; 0 = any)")
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("--tile", type=int, default=DEFAULT_TILE,
                        help=f"tile side when exporting (default {DEFAULT_TILE})")
    parser.add_argument("--overlap", type=int, default=DEFAULT_OVERLAP,
                        help=f"tile overlap when exporting (default {DEFAULT_OVERLAP})")
    parser.add_argument("--export-dir", default="runs/web",
                        help="where a model that is not a .tflite is exported (default runs/web)")


def require_web_assets() -> None:
    """The page needs the npm-installed LiteRT.js; say how to get it when it is missing."""
    missing = [p for p in (LITERT_BUNDLE, LITERT_WASM) if not p.exists()]
    if missing:
        raise SystemExit(f"mccnet web: {', '.join(map(str, missing))} missing: run `make web` "
                         "(npm ci + build in web_demo/; needs node and npm)")


def resolve_model(spec):
    """(keras model, weights source) of a model SPEC (`keras_mccnet.model_spec`): the shipped
    model by default; a model with random weights is refused (it does not deblur)."""
    from keras_mccnet.model_spec import DEFAULT_MODEL, ModelSourceError, load_model

    spec = spec or DEFAULT_MODEL
    try:
        model, source = load_model(spec)
    except ModelSourceError as e:
        raise SystemExit(f"mccnet web: --model {spec}: {e}") from None
    if source.get("random_init"):
        raise SystemExit(f"mccnet web: --model {spec} has no trained weights (a random model "
                         "does not deblur); pass PRESET:WEIGHTS, a .keras file or a run folder")
    return model, source


def prepare_model(spec, export_dir, tile=DEFAULT_TILE, overlap=DEFAULT_OVERLAP) -> str:
    """The .tflite the page will run: `spec` itself when it is one (its metadata is checked),
    else an fp32 export of the model `spec` names into `export_dir`."""
    from keras_mccnet.export.metadata import MetadataError, read_metadata

    if spec is not None and str(spec).endswith(".tflite"):
        if not os.path.isfile(spec):
            raise SystemExit(f"mccnet web: --model {spec}: file not found")
        try:
            read_metadata(spec)
        except MetadataError as e:
            raise SystemExit(f"mccnet web: {e}") from None
        return os.fspath(spec)
    if not 0 <= overlap < tile:
        raise SystemExit(f"mccnet web: --overlap must be in [0, --tile), got {overlap}, {tile}")
    model, source = resolve_model(spec)
    if tile % model.stride:
        raise SystemExit(f"mccnet web: --tile {tile} must be a multiple of the model stride "
                         f"{model.stride}")
    from keras_mccnet.export.tflite import export_tflite

    print(f"mccnet web: exporting {model.name} (fp32, {tile} px tiles) to {export_dir} ...",
          flush=True)
    [(path, _)] = export_tflite(model, export_dir, model.name, ["fp32"], tile, overlap,
                                weights=source)
    return path


class DemoHandler(http.server.SimpleHTTPRequestHandler):
    """Static files of the demo, the model and the sample, with cross-origin isolation."""

    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                      ".js": "text/javascript", ".wasm": "application/wasm",
                      ".json": "application/json", ".tflite": "application/octet-stream"}

    def __init__(self, *args, model_path: str, **kwargs):
        self.model_path = pathlib.Path(model_path).resolve()
        super().__init__(*args, directory=str(WEB_DEMO), **kwargs)

    def routes(self) -> dict[str, pathlib.Path]:
        meta = self.model_path.with_suffix(".json")
        return {f"model/{self.model_path.name}": self.model_path, f"model/{meta.name}": meta,
                "sample/sample_L.png": SAMPLE_DIR / "sample_L.png",
                "sample/sample_R.png": SAMPLE_DIR / "sample_R.png"}

    def config(self) -> bytes:
        stem = self.model_path.stem
        return json.dumps({"model": f"model/{stem}.tflite",
                           "metadata": f"model/{stem}.json"}).encode()

    def translate_path(self, path):
        rel = posixpath.normpath(urllib.parse.unquote(urllib.parse.urlsplit(path).path))
        rel = rel.lstrip("/")
        if rel in ("", "."):
            rel = "index.html"
        routed = self.routes().get(rel)
        if routed is not None:
            return str(routed)
        if ".." in rel.split("/") or not any(rel == s or rel.startswith(s) for s in STATIC):
            return str(WEB_DEMO / "__not_served__")  # 404 for anything outside the page
        return str(WEB_DEMO / rel)

    def do_GET(self):
        if urllib.parse.urlsplit(self.path).path == "/config.json":
            body = self.config()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        super().do_GET()

    def end_headers(self):
        # Cross-origin isolation lets the WASM backend use SharedArrayBuffer threads.
        self.send_header("Cross-Origin-Opener-Policy", "same-origin")
        self.send_header("Cross-Origin-Embedder-Policy", "require-corp")
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, format, *args):  # noqa: A002 (the base class's name)
        if os.environ.get("MCCNET_WEB_LOG"):
            super().log_message(format, *args)


def make_server(model_path, host="127.0.0.1", port=0) -> http.server.ThreadingHTTPServer:
    """A server for the demo page with `model_path` as its model (port 0: any free port)."""
    require_web_assets()
    handler = functools.partial(DemoHandler, model_path=os.fspath(model_path))
    return http.server.ThreadingHTTPServer((host, port), handler)


def run(args) -> int:
    require_web_assets()
    model_path = prepare_model(args.model, args.export_dir, args.tile, args.overlap)
    try:
        server = make_server(model_path, args.host, args.port)
    except OSError as e:
        raise SystemExit(f"mccnet web: cannot listen on {args.host}:{args.port} ({e})") from None
    host, port = server.server_address[:2]
    print(f"mccnet web: serving {model_path} at http://{host}:{port}/  (Ctrl-C stops)",
          flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        print("mccnet web: stopped", file=sys.stderr)
    finally:
        server.server_close()
    return 0

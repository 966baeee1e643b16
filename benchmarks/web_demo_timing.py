"""In-browser time per tile (LiteRT.js WASM in headless Chromium) vs the Python LiteRT runtime.

The same exported model (the shipped mccnet_tiny, fp32, 256-px tiles, as `mccnet web` exports
it) runs the bundled sample pair (384x288: 4 tiles) in the demo page, with 1 WASM thread and with
threads (the page is cross-origin isolated), and the same four tiles through export/runtime.py
with 1 and 2 interpreter threads. The four settings are timed round-robin (round r of each, then
round r + 1), so drifts of the shared machine's load hit them alike. Each page deblurs the pair
once before the timed rounds (its first tile, XNNPACK's set-up, is reported apart), and each
Python interpreter runs one warm-up tile. Also records the largest difference between the page's
output and the Python runtime's on the pair, and writes the README screenshot of the page.

Run (after `make web`):
    .venv/bin/python benchmarks/web_demo_timing.py [--rounds 6] \
        [--screenshot docs/images/web_demo.png]
Writes benchmarks/results/web_demo_timing.json.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import pathlib
import subprocess
import tempfile
import threading
import time

import numpy as np

REPO = pathlib.Path(__file__).resolve().parents[1]
OUT = REPO / "benchmarks/results/web_demo_timing.json"
BROWSER = {"wasm_1_thread": "accelerator=wasm&threads=0",
           "wasm_threads": "accelerator=wasm&threads=1"}
PYTHON_THREADS = {"litert_1_thread": 1, "litert_2_threads": 2}


def load_driver():
    spec = importlib.util.spec_from_file_location("drive_page",
                                                  REPO / "web_demo/tools/drive_page.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def stats(ms) -> dict:
    ms = np.asarray(ms, np.float64)
    return {"median_ms": round(float(np.median(ms)), 1),
            "p90_ms": round(float(np.percentile(ms, 90)), 1),
            "min_ms": round(float(ms.min()), 1), "tiles": int(ms.size)}


def deblur_in_page(page, first: bool) -> dict:
    """One deblur of the sample pair (the page's own run on load, or a click); its result info."""
    if not first:
        page.driver.execute_script("document.body.dataset.status = 'clicked'")
        page.click("sample")
    if page.wait(timeout=300) != "done":
        raise RuntimeError(f"page failed: {page.message()}")
    return page.result_info()


def python_tiles(model, tiles) -> list[float]:
    """Milliseconds of each tile through the Python LiteRT runtime (as the page: run only)."""
    times = []
    for left, right in tiles:
        start = time.perf_counter()
        model.run_batch(left, right)
        times.append((time.perf_counter() - start) * 1e3)
    return times


def sample_pair():
    from keras_mccnet.commands.web import SAMPLE_DIR
    from keras_mccnet.data.image_io import read_image

    return read_image(SAMPLE_DIR / "sample_L.png"), read_image(SAMPLE_DIR / "sample_R.png")


def sample_tiles(tile: int, overlap: int):
    """The sample pair's tiles, as (1, tile, tile, 3) float32 batches."""
    from keras_mccnet.tiling import plan_tiles

    left, right = sample_pair()
    plan = plan_tiles(*left.shape[:2], tile, overlap)
    return [(left[None, t.y:t.y + t.h, t.x:t.x + t.w], right[None, t.y:t.y + t.h, t.x:t.x + t.w])
            for t in plan.tiles]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=6, help="timed deblurs per setting")
    parser.add_argument("--model", help="an exported .tflite (default: export the shipped tiny)")
    parser.add_argument("--screenshot", default=str(REPO / "docs/images/web_demo.png"),
                        help="where the page screenshot goes ('' = none)")
    parser.add_argument("--out", default=str(OUT))
    args = parser.parse_args(argv)

    from keras_mccnet.export.runtime import ExportedModel
    from keras_mccnet.atomic_write import atomic_write
    from keras_mccnet.commands import web

    driver = load_driver()
    if driver.missing():
        raise SystemExit(f"missing: {', '.join(driver.missing())} (run `make web`)")
    web.require_web_assets()
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory() as tmp:
        path = args.model or web.prepare_model("mccnet_tiny", tmp, tile=256, overlap=32)
        models = {k: ExportedModel(path, num_threads=t) for k, t in PYTHON_THREADS.items()}
        tiles = sample_tiles(models["litert_1_thread"].tile, models["litert_1_thread"].overlap)
        server = web.make_server(path)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_address[1]}"
        pages = {k: driver.DemoPage(base) for k in BROWSER}
        try:
            warm = {}
            for key, query in BROWSER.items():
                pages[key].open(f"{query}&run=sample")
                warm[key] = deblur_in_page(pages[key], first=True)
            for m in models.values():
                python_tiles(m, tiles[:1])  # warm-up
            timed = {k: [] for k in [*BROWSER, *models]}
            stages = {k: [] for k in BROWSER}
            for _ in range(args.rounds):
                for key in BROWSER:
                    info = deblur_in_page(pages[key], first=False)
                    timed[key] += info["tileMs"]
                    stages[key].append(info["times"])
                for key, m in models.items():
                    timed[key] += python_tiles(m, tiles)
            # The same check as tests/web: the page's float output vs the Python runtime's.
            parity = {k: float(np.abs(pages[k].output()
                                      - models["litert_1_thread"].deblur(*sample_pair())).max())
                      for k in BROWSER}
            if args.screenshot:
                pages["wasm_threads"].screenshot(args.screenshot)
        finally:
            for page in pages.values():
                page.close()
            server.shutdown()
    per_tile = {k: stats(v) for k, v in timed.items()}
    browser = {k: {"backend": warm[k]["backend"]["label"], "per_tile": per_tile[k],
                   "first_tile_ms_of_the_page": round(warm[k]["tileMs"][0], 1),
                   "stages_ms_median": {s: round(float(np.median([x[s] for x in stages[k]])), 1)
                                        for s in stages[k][0]}}
               for k in BROWSER}

    def ratio(browser_key, python_key):
        return round(per_tile[browser_key]["median_ms"] / per_tile[python_key]["median_ms"], 2)

    lock = json.loads((REPO / "web_demo/package-lock.json").read_text())
    chromium = subprocess.run(["chromium", "--version"], capture_output=True, text=True)
    result = {
        "model": "mccnet_tiny (shipped 'synthetic' weights), fp32 TFLite, 256x256 tiles",
        "pair": "android_demo sample, 384x288: 4 tiles (overlap 32) per deblur",
        "rounds": args.rounds,
        "max_abs_diff_browser_vs_python_output": parity,
        "browser": browser,
        "python_litert_per_tile": {k: per_tile[k] for k in models},
        "ratio_browser_over_python": {
            "1_thread": ratio("wasm_1_thread", "litert_1_thread"),
            "threads_vs_2_threads": ratio("wasm_threads", "litert_2_threads")},
        "chromium": chromium.stdout.strip(),
        "litertjs": lock["packages"]["node_modules/@litertjs/core"]["version"],
        "host": f"{os.cpu_count()} CPU cores shared with other jobs (load average "
                f"{load_before[0]:.1f} before, {os.getloadavg()[0]:.1f} after)",
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "command": f"python benchmarks/web_demo_timing.py --rounds {args.rounds}",
    }
    text = json.dumps(result, indent=1) + "\n"
    atomic_write(args.out, text)
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

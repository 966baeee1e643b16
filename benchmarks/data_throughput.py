"""Patches per second per CPU core at 256x256 for every data source of keras-mccnet.

Measured on ONE core (the process pins itself to CPU 0, OpenCV and TensorFlow get one thread):
- synthetic stream (`render_patch`), photo content (../shared/sharp when present) and procedural;
- DPDD tf.data path (`make_dataset`) on a synthetic DPDD-layout folder of full-size 1120x1680
  16-bit PNGs, with 8 patches per decoded scene, without and with the decoded-scene cache;
- the NumPy `DPPatchDataset` on the same folder.
Bar: the synthetic stream must reach >= 20 patches/s per core, so that a 16-core GPU host feeds
training at >= 300 patches/s.

Both "wall" (elapsed) and "cpu" (process CPU time) rates are reported: the development machine is
shared, so the wall rate is a lower bound; the load average at the time is recorded too.

Run: .venv/bin/python benchmarks/data_throughput.py [--quick]
Writes benchmarks/results/data_throughput.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time

import cv2

PATCH = 256


def _timed(fn, n):
    fn(-1)  # warm-up
    t, c = time.perf_counter(), time.process_time()
    for i in range(n):
        fn(i)
    wall, cpu = time.perf_counter() - t, time.process_time() - c
    return {"patches": n, "wall_s": round(wall, 3), "patches_per_s_wall": round(n / wall, 2),
            "patches_per_cpu_s": round(n / cpu, 2)}


def bench_synthetic(n, sharp):
    from keras_mccnet.data.synthetic import resolve_source
    from keras_mccnet.data.synthetic_stream import render_patch

    source = resolve_source(sharp)
    if getattr(source, "photo", None) is not None:
        for path in source.photo.paths:  # decode every photo once, as a long run would have
            source.photo._load(path)
    return _timed(lambda i: render_patch(0, i + 1, PATCH, source), n)


def bench_tfdata(root, n, cache):
    import tensorflow as tf

    from keras_mccnet.data.dpdd import find_scenes
    from keras_mccnet.data.pipeline import make_dataset

    scenes = find_scenes(root, "train")
    ds = make_dataset(scenes, PATCH, batch_size=8, training=True, seed=0, patches_per_image=8,
                      cache=cache, num_parallel_calls=1)
    options = tf.data.Options()
    options.threading.private_threadpool_size = 1
    options.autotune.enabled = False
    ds = ds.with_options(options)
    iterator = iter(ds)
    if cache:  # fill the cache first: steady state of a long run
        for _ in range(len(scenes)):
            next(iterator)
    batches = n // 8
    result = _timed(lambda i: next(iterator), batches)
    for key in ("patches_per_s_wall", "patches_per_cpu_s"):
        result[key] = round(result[key] * 8, 2)
    result["patches"] = batches * 8
    return result


def bench_numpy(root, n):
    from keras_mccnet.data.dpdd import find_scenes
    from keras_mccnet.data.numpy_dataset import DPPatchDataset

    ds = DPPatchDataset(find_scenes(root, "train"), PATCH, batch_size=8, training=True,
                        steps_per_epoch=10_000)
    result = _timed(lambda i: ds[i + 1], n // 8)
    for key in ("patches_per_s_wall", "patches_per_cpu_s"):
        result[key] = round(result[key] * 8, 2)
    result["patches"] = (n // 8) * 8
    result["note"] = "decoded scenes LRU-cached in memory (max_cached_scenes=16)"
    return result


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer patches (smoke run)")
    args = parser.parse_args(argv)
    os.sched_setaffinity(0, {0})
    cv2.setNumThreads(1)
    os.environ.setdefault("TF_NUM_INTEROP_THREADS", "1")
    os.environ.setdefault("TF_NUM_INTRAOP_THREADS", "1")
    import tensorflow as tf

    tf.config.threading.set_inter_op_parallelism_threads(1)
    tf.config.threading.set_intra_op_parallelism_threads(1)
    n = 40 if args.quick else 200

    from keras_mccnet import shared_data
    from keras_mccnet.data.synthetic import write_dataset

    results = {
        "what": f"patches/s per CPU core at {PATCH}x{PATCH}, one core (CPU 0), 1 thread",
        "machine": {"cpu": platform.processor() or platform.machine(), "nproc": os.cpu_count(),
                    "python": sys.version.split()[0], "load_avg_before": os.getloadavg()},
        "bar_synthetic_patches_per_s_per_core": 20,
    }
    if shared_data.sharp_dir():
        results["synthetic_photos"] = bench_synthetic(n, "default")
    results["synthetic_procedural"] = bench_synthetic(n, None)
    with tempfile.TemporaryDirectory() as root:
        t = time.perf_counter()
        write_dataset(root, 4, size=(1120, 1680), seed=0, sharp_dir=None, progress=False)
        results["dpdd_folder"] = {"scenes": 4, "size": [1120, 1680], "bits": 16,
                                  "render_s_per_scene": round((time.perf_counter() - t) / 4, 2)}
        results["dpdd_tfdata_no_cache"] = bench_tfdata(root, n, cache=False)
        results["dpdd_tfdata_cached"] = bench_tfdata(root, n, cache=True)
        results["dpdd_numpy_pydataset"] = bench_numpy(root, n)
    results["machine"]["load_avg_after"] = os.getloadavg()
    results["bar_met"] = min(results[k]["patches_per_cpu_s"] for k in
                             ("synthetic_photos", "synthetic_procedural") if k in results) >= 20
    results["summary"] = {k: v["patches_per_cpu_s"] for k, v in results.items()
                          if isinstance(v, dict) and "patches_per_cpu_s" in v}
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "results",
                       "data_throughput.json")
    os.makedirs(os.path.dirname(out), exist_ok=True)
    atomic_write_json(out, results)
    print(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())

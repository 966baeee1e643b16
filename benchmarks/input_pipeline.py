"""The two training input paths of `mccnet train` on a dataset folder, measured in one run.

Under the TensorFlow backend a folder of PNG scenes feeds `model.fit` from the tf.data pipeline
(`keras_mccnet/data/pipeline.py`: decoded scenes cached, crops mapped in parallel, prefetched);
under JAX / torch it is the NumPy `DPPatchDataset` (PyDataset with worker threads). Both are
built by the production code (`keras_mccnet.training.train.build_data` with
`input_pipeline=tf.data` / `pydataset`) over the same generated DPDD-layout folder (16-bit PNGs,
procedural content), then:

* input only: batches per second when the data alone is iterated (after a warm-up that fills the
  tf.data cache and the PyDataset's scene LRU);
* in fit: seconds per training step of mccnet_tiny (AdamW, Charbonnier + MS-SSIM), timed over
  `--steps` steps after `--warmup` steps that compile the train function.

Run:
    .venv/bin/python benchmarks/input_pipeline.py [--steps 10] [--patch 96] [--batch 4]
Writes benchmarks/results/input_pipeline.json. Short on purpose: on a shared, loaded CPU host the
absolute figures are lower bounds; the comparison is what the run is for.
"""

from __future__ import annotations

import argparse
import os
import pathlib
import platform
import sys
import time

REPO = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
from keras_mccnet.atomic_write import atomic_write_json  # noqa: E402

PIPELINES = ("tf.data", "pydataset")


def make_folder(root: pathlib.Path, scenes: int, size: int) -> pathlib.Path:
    from keras_mccnet.data.synthetic import write_dataset

    if not (root / "train_c").is_dir():
        write_dataset(root, {"train": scenes, "val": 2}, (size, size), seed=0, sharp_dir=None,
                      progress=False)
    return root


def batches_per_s(train, warmup: int, count: int) -> float:
    import keras

    if isinstance(train, keras.utils.PyDataset):
        get = train.__getitem__
        for i in range(warmup):
            get(i)
        t = time.perf_counter()
        for i in range(warmup, warmup + count):
            get(i)
        return count / (time.perf_counter() - t)
    iterator = iter(train)
    for _ in range(warmup):
        next(iterator)
    t = time.perf_counter()
    for _ in range(count):
        next(iterator)
    return count / (time.perf_counter() - t)


def fit_step_s(config, train, val, warmup: int, steps: int) -> float:
    import keras

    from keras_mccnet.training.train import _with_length, build_model

    model = build_model(config)

    def fit(n):
        if isinstance(train, keras.utils.PyDataset):
            model.fit(_with_length(train, n), epochs=1, verbose=0)
        else:
            model.fit(train, steps_per_epoch=n, epochs=1, verbose=0)

    fit(warmup)  # compiles the train function
    t = time.perf_counter()
    fit(steps)
    return (time.perf_counter() - t) / steps


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenes", type=int, default=12)
    parser.add_argument("--size", type=int, default=256, help="side of the generated scenes")
    parser.add_argument("--patch", type=int, default=96)
    parser.add_argument("--batch", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2, help="PyDataset worker threads")
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--steps", type=int, default=10)
    parser.add_argument("--batches", type=int, default=40, help="batches of the input-only run")
    parser.add_argument("--work", default=str(REPO / "runs" / "input_pipeline"))
    parser.add_argument("--out", default=str(REPO / "benchmarks" / "results" /
                                            "input_pipeline.json"))
    args = parser.parse_args(argv)
    os.environ.setdefault("KERAS_BACKEND", "tensorflow")
    import keras

    from keras_mccnet.training.config import apply_overrides, named_config
    from keras_mccnet.training.train import build_data

    if keras.backend.backend() != "tensorflow":
        raise SystemExit("the tf.data path needs KERAS_BACKEND=tensorflow")
    data = make_folder(pathlib.Path(args.work) / "data", args.scenes, args.size)
    load_before = os.getloadavg()[0]
    results = {}
    for pipeline in PIPELINES:
        config = apply_overrides(named_config("dpdd"), [
            f"data={data}", "preset=mccnet_tiny", f"patch_size={args.patch}",
            f"batch_size={args.batch}", "val_scenes=2", f"val_size={args.patch}", "realdp=none",
            f"workers={args.workers}", f"input_pipeline={pipeline}", "warmup_steps=2"])
        train, val = build_data(config)
        rate = batches_per_s(train, args.warmup, args.batches)
        step = fit_step_s(config, train, val, args.warmup, args.steps)
        results[pipeline] = {"input_batches_per_s": rate,
                             "input_patches_per_s": rate * args.batch,
                             "fit_step_s": step, "fit_images_per_s": args.batch / step,
                             "type": type(train).__name__}
        print(pipeline, results[pipeline], flush=True)
    report = {
        "benchmark": "training input paths of mccnet train on a PNG dataset folder",
        "command": "benchmarks/input_pipeline.py " + " ".join(argv or sys.argv[1:]),
        "setup": {"scenes": args.scenes, "scene_size": args.size, "patch": args.patch,
                  "batch": args.batch, "pydataset_workers": args.workers,
                  "warmup_steps": args.warmup, "timed_steps": args.steps,
                  "input_batches": args.batches, "preset": "mccnet_tiny"},
        "results": results,
        "fit_speedup_tf_data": (results["pydataset"]["fit_step_s"]
                                / results["tf.data"]["fit_step_s"]),
        "input_speedup_tf_data": (results["tf.data"]["input_batches_per_s"]
                                  / results["pydataset"]["input_batches_per_s"]),
        "host": {"machine": platform.machine(), "cpus": os.cpu_count(),
                 "load_average_before": load_before, "load_average_after": os.getloadavg()[0]},
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "note": "2 CPU cores shared with other jobs (load average above): absolute figures are "
                "lower bounds. The PyDataset input-only rate is measured in one thread "
                "(__getitem__); in fit it runs with its worker threads.",
    }
    atomic_write_json(args.out, report)
    print(f"written {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Trains the defocus head (keras_mccnet.defocus) on the FROZEN shipped backbone and ships it.

    .venv/bin/python benchmarks/train_defocus_head.py                 # mccnet_tiny / synthetic
    .venv/bin/python benchmarks/train_defocus_head.py --backbone NAME --no-ship

Re-run it whenever new backbone weights are shipped: it renders (once, cached in --out) a small
pool of synthetic DP scenes with their known signed disparity (blur map x the scene's
disparity-to-blur ratio, keras_mccnet.data.psf), runs the frozen backbone once over the pool to
cache its cost volumes and fused evidence, trains only the head on them (L1 in input pixels), and
checks that the deblurred output of the model with the head is bit-identical to the backbone
alone. Writes benchmarks/results/defocus_head.json and, unless --no-ship, the head's weights
(float16) into keras_mccnet/weights with its SHA-256 registry entry. A few CPU minutes.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import pathlib
import sys
import time

import numpy as np

from keras_mccnet.atomic_write import atomic_path, atomic_write_json

HERE = pathlib.Path(__file__).resolve().parent
RESULTS = HERE / "results"
# The blur range the shipped backbone was trained on (benchmarks/cpu_ablation.py): it spans the
# half-scale real scenes and DPDD-scale blurs, and keeps small (phone-like) disparities.
BLUR_RANGE = (1.5, 24.0)


def sensor_variation(rng, left, right):
    """What real DP sensors (phones above all) do to the two views and the renderer does not:
    opposite horizontal shading ramps of L and R (each half-aperture is vignetted from its own
    side), a global gain mismatch, and now and then grey (green-channel) views. Applied to 70%
    of the scenes; the disparity is unchanged, so the head learns to ignore them."""
    if rng.random() >= 0.7:
        return left, right
    x = np.linspace(-1.0, 1.0, left.shape[1], dtype=np.float32)[None, :, None]
    ramp, gain = rng.uniform(-0.25, 0.25), np.sqrt(rng.uniform(0.85, 1.15))
    left, right = left * (1 + ramp * x) * gain, right * (1 - ramp * x) / gain
    if rng.random() < 0.2:
        left, right = (np.repeat(v.mean(axis=2, keepdims=True), 3, axis=2) for v in (left, right))
    return np.clip(left, 0, 1), np.clip(right, 0, 1)


def _render(job):
    from keras_mccnet.data.synthetic import Stream, render_scene, scene_rng

    seed, index, size, vary = job
    scene = render_scene(scene_rng(seed, index, Stream.DEFOCUS_HEAD_POOL), (size, size),
                         blur_range=BLUR_RANGE)
    disparity = scene["blur"] * scene["params"]["disparity_to_blur"]
    left, right = scene["left"], scene["right"]
    if vary:
        left, right = sensor_variation(np.random.default_rng([seed, index, 99]), left, right)
    return left, right, disparity.astype(np.float32)


def render_pool(path: pathlib.Path, count: int, size: int, seed: int, workers: int,
                vary: bool = True) -> dict:
    """{"left", "right": uint16 NHWC, "disparity": float32 NHW}, cached in `path`."""
    if path.exists():
        data = np.load(path)
        return {k: data[k] for k in ("left", "right", "disparity")}
    from tqdm import tqdm

    jobs = [(seed, i, size, vary) for i in range(count)]
    with multiprocessing.Pool(workers) as pool:
        scenes = list(tqdm(pool.imap(_render, jobs, chunksize=8), total=count,
                           desc=f"rendering {path.name}", unit="scene"))
    arrays = {"left": np.stack([np.round(s[0] * 65535).astype(np.uint16) for s in scenes]),
              "right": np.stack([np.round(s[1] * 65535).astype(np.uint16) for s in scenes]),
              "disparity": np.stack([s[2] for s in scenes])}
    with atomic_path(path) as tmp:
        np.savez(tmp, **arrays)
    return arrays


def views(pool, idx):
    return {k: pool[k][idx].astype(np.float32) / 65535.0 for k in ("left", "right")}


def head_submodel(model):
    """(features, head): the frozen backbone up to the head's inputs, and the head alone (its
    layers are the model's own, so training `head` trains `model`'s head)."""
    import keras

    levels = len(model.widths)
    tensors = [model.get_layer(f"corr_s{k}_cos").output for k in range(levels)]
    tensors.append(model.get_layer("msf_conv").output)
    tensors.append(model.get_layer("defocus_ncc").output)
    reference = model.get_layer("defocus_crop").input[1]
    features = keras.Model(model.inputs, tensors, name="defocus_features")
    head = keras.Model(tensors + [reference], model.get_layer("defocus").output,
                       name="defocus_head")
    return features, head


def cache_features(features, pool, batch: int = 16) -> list[np.ndarray]:
    """The backbone's head inputs for every pool scene, float16 to halve the memory."""
    from tqdm import tqdm

    n = pool["left"].shape[0]
    chunks = []
    for start in tqdm(range(0, n, batch), desc="backbone features", unit="batch"):
        out = features.predict_on_batch(views(pool, slice(start, start + batch)))
        chunks.append([np.asarray(o, np.float16) for o in out])
    return [np.concatenate([c[i] for c in chunks]) for i in range(len(chunks[0]))]


def spearman(a: np.ndarray, b: np.ndarray) -> float:
    from scipy.stats import spearmanr

    return float(spearmanr(np.ravel(a), np.ravel(b)).statistic)


def predict_head(head, feats, pool, idx) -> np.ndarray:
    inputs = [f[idx].astype(np.float32) for f in feats]
    reference = pool["left"][idx].astype(np.float32)
    return np.asarray(head.predict_on_batch(inputs + [reference]))[..., 0]


def validate(head, feats, pool, batch: int = 16) -> dict:
    n = pool["left"].shape[0]
    pred = np.concatenate([predict_head(head, feats, pool, slice(s, s + batch))
                           for s in range(0, n, batch)])
    truth = pool["disparity"]
    rho = [spearman(p, t) for p, t in zip(pred, truth) if np.ptp(t) > 0.05]
    return {"mae_px": float(np.mean(np.abs(pred - truth))),
            "mae_px_zero_baseline": float(np.mean(np.abs(truth))),
            "spearman_mean": float(np.mean(rho)), "spearman_scenes": len(rho)}


def train(head, feats, pool, steps: int, batch: int, lr: float, seed: int, log_every: int):
    import keras
    from keras import ops

    trainable = head.trainable_weights
    schedule = keras.optimizers.schedules.CosineDecay(lr, steps, alpha=0.05)
    optimizer = keras.optimizers.Adam(schedule)
    optimizer.build(trainable)
    import tensorflow as tf

    @tf.function(reduce_retracing=True)
    def step(inputs, truth):
        with tf.GradientTape() as tape:
            pred = head(inputs, training=True)[..., 0]
            loss = ops.mean(ops.abs(pred - truth))
        optimizer.apply_gradients(zip(tape.gradient(loss, trainable), trainable))
        return loss

    rng = np.random.default_rng(seed)
    n = pool["left"].shape[0]
    losses, started = [], time.time()
    from tqdm import tqdm

    for i in tqdm(range(steps), desc="head", unit="step", mininterval=5):
        idx = np.sort(rng.choice(n, batch, replace=False))
        inputs = [f[idx].astype(np.float32) for f in feats]
        inputs.append(pool["left"][idx].astype(np.float32))
        losses.append(float(step(inputs, pool["disparity"][idx])))
        if log_every and (i + 1) % log_every == 0:
            print(f"step {i + 1}: L1 {np.mean(losses[-log_every:]):.4f} px", flush=True)
    return losses, time.time() - started


def deblur_identity(preset: str, backbone: str, model, pool) -> dict:
    """The deblurred output with the head vs the shipped backbone alone, on the val pool."""
    from keras_mccnet import MCCNet
    from keras_mccnet.training.protocol import psnr

    reference = MCCNet.from_preset(preset, weights=backbone)
    batch = views(pool, slice(0, 8))
    with_head = np.asarray(model.predict_on_batch(batch)["deblurred"])
    without = np.asarray(reference.predict_on_batch(batch))
    # the pool carries no target here: compare the outputs themselves, bit for bit
    return {"scenes": 8, "bit_identical": bool(np.array_equal(with_head, without)),
            "max_abs_difference": float(np.max(np.abs(with_head - without))),
            "psnr_with_vs_without_db": psnr(without, with_head)}


def ship(model, preset: str, backbone: str, description: str) -> dict:
    from keras_mccnet.defocus import save_head
    from keras_mccnet.pretrained import WEIGHTS_DIR, register, sha256_of

    name = f"{backbone}_defocus"
    filename = f"{preset}_{name}.h5"
    save_head(model, WEIGHTS_DIR / filename)
    entry = {"preset": preset, "name": name, "filename": filename,
             "sha256": sha256_of(WEIGHTS_DIR / filename), "description": description,
             "head": "defocus", "backbone": backbone}
    register(entry)
    return entry


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--preset", default="mccnet_tiny")
    parser.add_argument("--backbone", default="synthetic", help="shipped backbone weights name")
    parser.add_argument("--out", default="runs/defocus_head", help="pool cache folder")
    parser.add_argument("--train-scenes", type=int, default=640)
    parser.add_argument("--val-scenes", type=int, default=64)
    parser.add_argument("--size", type=int, default=128)
    parser.add_argument("--steps", type=int, default=3000)
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--lr", type=float, default=2e-3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--no-sensor-variation", action="store_true",
                        help="train on the rendered views as they are (no L/R shading, gain "
                             "mismatch or grey views; see sensor_variation)")
    parser.add_argument("--no-ship", action="store_true", help="train and report only")
    args = parser.parse_args(argv)

    import keras

    from keras_mccnet import MCCNet
    from keras_mccnet.defocus import load_backbone, load_head
    from keras_mccnet.pretrained import head_for, resolve

    out = pathlib.Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    vary = "" if args.no_sensor_variation else "_vary"
    train_pool = render_pool(out / f"train_{args.train_scenes}_{args.size}_s{args.seed}{vary}.npz",
                             args.train_scenes, args.size, args.seed, args.workers, bool(vary))
    val_pool = render_pool(out / f"val_{args.val_scenes}_{args.size}_s{args.seed + 1000}.npz",
                           args.val_scenes, args.size, args.seed + 1000, args.workers, vary=False)

    keras.utils.set_random_seed(args.seed)
    model = MCCNet.from_preset(args.preset, defocus_head=True)
    load_backbone(model, resolve(args.preset, args.backbone))
    features, head = head_submodel(model)
    train_feats = cache_features(features, train_pool)
    val_feats = cache_features(features, val_pool)
    before = validate(head, val_feats, val_pool)
    losses, seconds = train(head, train_feats, train_pool, args.steps, args.batch, args.lr,
                            args.seed, log_every=max(1, args.steps // 10))
    after = validate(head, val_feats, val_pool)
    print(f"val: MAE {after['mae_px']:.3f} px (predicting 0: {after['mae_px_zero_baseline']:.3f}), "
          f"Spearman {after['spearman_mean']:.3f}", flush=True)

    result = {"command": "benchmarks/train_defocus_head.py " + " ".join(sys.argv[1:]),
              "setup": vars(args), "blur_range_px": BLUR_RANGE,
              "head_parameters": int(sum(np.prod(w.shape) for w in head.trainable_weights)),
              "train_seconds": seconds, "loss_first_100": float(np.mean(losses[:100])),
              "loss_last_100": float(np.mean(losses[-100:])),
              "val_untrained_head": before, "val": after,
              "deblurred_output": deblur_identity(args.preset, args.backbone, model, val_pool),
              "machine": "2 CPU cores shared with other jobs (loaded)"}
    if not args.no_ship:
        description = (f"defocus head for the {args.preset} '{args.backbone}' weights, trained on "
                       f"the frozen backbone (benchmarks/train_defocus_head.py, {args.steps} "
                       f"steps, {args.train_scenes} synthetic {args.size}-px scenes); synthetic "
                       f"val MAE {after['mae_px']:.2f} px; float16")
        result["shipped"] = ship(model, args.preset, args.backbone, description)
        shipped = MCCNet.from_preset(args.preset, weights=args.backbone, defocus_head=True)
        load_head(shipped, resolve(args.preset, head_for(args.preset, args.backbone,
                                                         "defocus").name))
        _, shipped_head = head_submodel(shipped)
        result["val_shipped_float16"] = validate(shipped_head, val_feats, val_pool)
    RESULTS.mkdir(exist_ok=True)
    atomic_write_json(RESULTS / "defocus_head.json", result)
    print(json.dumps({k: v for k, v in result.items() if k != "setup"}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""CPU-sized ablation: mccnet_tiny vs the concat and siamese_no_corr baselines.

    .venv/bin/python benchmarks/cpu_ablation.py --out runs/cpu_ablation [--steps 600]

No GPU host was lent to issue 7, so this is its CPU-sized version: the three *_tiny presets are
trained with the same synthetic data (one pre-rendered pool of patches, identical order and
flips), the same step budget, optimiser and loss, then scored on held-out synthetic scenes and on
the four real DPDD scenes of ../shared/realdp (rows >= 56, against the input C as baseline).
Model selection never looks at the real scenes: the shipped weights are those of the last step.

Writes benchmarks/results/cpu_ablation.{json,md}, benchmarks/results/cpu_ablation_curves.png,
the README table `cpu_ablation`, and each model's weights into OUT. Resumable: every model keeps
a checkpoint (weights + optimiser + step) in OUT and continues from it when run again.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import pathlib
import sys
import time

import numpy as np

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from keras_mccnet import shared_data  # noqa: E402
from keras_mccnet.atomic_write import atomic_path, atomic_write_json  # noqa: E402
RESULTS = HERE / "results"
REALDP = shared_data.realdp_path()
PRESETS = ("mccnet_tiny", "concat_tiny", "siamese_no_corr_tiny")
BLUR_RANGE = (1.5, 24.0)  # spans the half-scale real scenes (840 px) and DPDD-scale blurs


def _render(args):
    from keras_mccnet.data import render_patch

    seed, index, size = args
    return render_patch(seed, index, size, blur_range=BLUR_RANGE)


def render_pool(path: pathlib.Path, count: int, size: int, seed: int, workers: int):
    """The shared training pool, uint16, cached in `path` (rendering is deterministic)."""
    if path.exists():
        data = np.load(path)
        if data["left"].shape[0] == count and data["left"].shape[1] == size:
            return {k: data[k] for k in ("left", "right", "target")}
    from tqdm import tqdm

    jobs = [(seed, i, size) for i in range(count)]
    with multiprocessing.Pool(workers) as pool:
        patches = list(tqdm(pool.imap(_render, jobs, chunksize=16), total=count,
                            desc="rendering training pool", unit="patch"))
    pool_arrays = {name: np.stack([np.round(p[i] * 65535).astype(np.uint16) for p in patches])
                   for i, name in enumerate(("left", "right", "target"))}
    with atomic_path(path) as tmp:
        np.savez(tmp, **pool_arrays)
    return pool_arrays


def batches(pool, batch_size: int, steps: int, seed: int):
    """Deterministic batches with DP-consistent flips (horizontal flip swaps L and R)."""
    rng = np.random.default_rng(seed)
    n = pool["left"].shape[0]
    order = np.concatenate([rng.permutation(n) for _ in range(steps * batch_size // n + 1)])
    flips = rng.random((steps * batch_size, 2)) < 0.5
    for step in range(steps):
        idx = order[step * batch_size:(step + 1) * batch_size]
        left, right, target = (pool[k][idx].astype(np.float32) / 65535.0
                               for k in ("left", "right", "target"))
        for j, (hflip, vflip) in enumerate(flips[step * batch_size:(step + 1) * batch_size]):
            if hflip:
                left[j], right[j] = right[j, :, ::-1].copy(), left[j, :, ::-1].copy()
                target[j] = target[j, :, ::-1]
            if vflip:
                left[j], right[j], target[j] = left[j, ::-1], right[j, ::-1], target[j, ::-1]
        yield step, {"left": left, "right": right}, target


def synthetic_test_set(count: int, size: int, seed: int = 12345):
    from keras_mccnet.data.synthetic import Stream, render_scene, scene_rng

    scenes = [render_scene(scene_rng(seed, i, Stream.ABLATION_POOL), (size, size), blur_range=BLUR_RANGE)
              for i in range(count)]
    return [(s["left"], s["right"], s["center"], s["target"]) for s in scenes]


def real_test_set():
    if not REALDP.is_dir():
        return []
    from keras_mccnet.data import read_image

    manifest = json.loads((REALDP / "manifest.json").read_text())
    out = []
    for scene in manifest["scenes"]:
        name = scene["source"] + ".png"
        views = [read_image(REALDP / sub / name) for sub in ("L", "R", "C", "GT")]
        out.append((scene["source"], scene["scene"], *views))
    return out


def scores(pred, target, rows_from=0):
    """PSNR and SSIM exactly as `mccnet eval` scores (training/protocol.py), on the clamped output."""
    from keras_mccnet.training.protocol import score

    result = score(target, np.clip(pred, 0.0, 1.0), rows_from=rows_from)
    return {"psnr": result["psnr"], "ssim": result["ssim"]}


def evaluate_outputs(synthetic, real, output_of):
    """Mean synthetic and real-scene scores of `output_of(left, right, center) -> image`."""
    syn = [scores(output_of(l, r, c), t) for l, r, c, t in synthetic]
    result = {"synthetic_psnr": float(np.mean([s["psnr"] for s in syn])),
              "synthetic_ssim": float(np.mean([s["ssim"] for s in syn]))}
    per_scene = {name: {"kind": kind, **scores(output_of(left, right, center), gt, rows_from=56)}
                 for name, kind, left, right, center, gt in real}
    if per_scene:
        result["real_psnr"] = float(np.mean([s["psnr"] for s in per_scene.values()]))
        result["real_ssim"] = float(np.mean([s["ssim"] for s in per_scene.values()]))
        result["real_per_scene"] = per_scene
    return result


def evaluate(model, synthetic, real):
    return evaluate_outputs(synthetic, real, lambda l, r, c: model.predict(
        {"left": l[None], "right": r[None]}, verbose=0)[0])


def input_baseline(synthetic, real):
    return evaluate_outputs(synthetic, real, lambda l, r, c: c)


def train_one(preset, pool, args, out: pathlib.Path, init=None):
    import keras

    from keras_mccnet import MCCNet
    from keras_mccnet.losses import CharbonnierMSSSIMLoss

    run = out / preset
    run.mkdir(parents=True, exist_ok=True)
    ckpt, state_path = run / "checkpoint.keras", run / "state.json"
    state = {"step": 0, "loss": [], "seconds": 0.0}
    if ckpt.exists() and state_path.exists():
        model = keras.saving.load_model(ckpt)
        state = json.loads(state_path.read_text())
        print(f"{preset}: resuming at step {state['step']}")
    else:
        keras.utils.set_random_seed(args.seed)
        model = MCCNet.from_preset(preset)
        if init:
            model.load_weights(init)
        schedule = keras.optimizers.schedules.CosineDecay(
            0.0, max(1, args.steps - args.warmup), alpha=0.05, warmup_target=args.lr,
            warmup_steps=args.warmup)
        model.compile(keras.optimizers.AdamW(schedule, weight_decay=1e-4, clipnorm=1.0),
                      CharbonnierMSSSIMLoss(ms_ssim_weight=0.2))
    from tqdm import tqdm

    bar = tqdm(total=args.steps, initial=state["step"], desc=f"training {preset}", unit="step")
    started = time.time() - state["seconds"]
    for step, x, y in batches(pool, args.batch, args.steps, args.seed):
        if step < state["step"]:
            continue
        loss = float(model.train_on_batch(x, y))
        if not np.isfinite(loss):
            raise SystemExit(f"{preset}: loss became {loss} at step {step}; last good "
                             f"checkpoint kept in {ckpt}")
        state["loss"].append(loss)
        state["step"] = step + 1
        bar.update(1)
        bar.set_postfix(loss=f"{loss:.4f}")
        if state["step"] % args.checkpoint_every == 0 or state["step"] == args.steps:
            state["seconds"] = time.time() - started
            with atomic_path(ckpt) as tmp:
                model.save(tmp)
            atomic_write_json(state_path, state)
    bar.close()
    model.save_weights(run / "final.weights.h5")
    return model, state


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", default="runs/cpu_ablation")
    parser.add_argument("--steps", type=int, default=600)
    parser.add_argument("--batch", type=int, default=8)
    parser.add_argument("--patch", type=int, default=96)
    parser.add_argument("--pool", type=int, default=2400, help="pre-rendered training patches")
    parser.add_argument("--lr", type=float, default=2e-3)
    parser.add_argument("--warmup", type=int, default=30)
    parser.add_argument("--checkpoint-every", type=int, default=50)
    parser.add_argument("--synthetic-test", type=int, default=24)
    parser.add_argument("--presets", nargs="+", default=list(PRESETS))
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    out = pathlib.Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    pool = render_pool(out / f"pool_{args.pool}_{args.patch}.npz", args.pool, args.patch,
                       args.seed, args.workers)
    synthetic = synthetic_test_set(args.synthetic_test, 256)
    real = real_test_set()
    rows = {"input_C": input_baseline(synthetic, real)}
    curves = {}
    from keras_mccnet.cost import model_cost
    from keras_mccnet.presets import preset_config

    for preset in args.presets:
        model, state = train_one(preset, pool, args, out)
        cost = model_cost(preset_config(preset), 256, 256)
        rows[preset] = {**evaluate(model, synthetic, real), "params": cost["params"],
                        "gmacs_256": round(cost["gmacs"], 3), "train_seconds": state["seconds"]}
        curves[preset] = state["loss"]
        print(preset, json.dumps({k: v for k, v in rows[preset].items()
                                  if k != "real_per_scene"}))
    write_results(rows, curves, args)
    return 0


def write_results(rows, curves, args):
    from readme_table import replace_section

    RESULTS.mkdir(exist_ok=True)
    result = {"command": "benchmarks/cpu_ablation.py " + " ".join(sys.argv[1:]),
              "setup": {k: v for k, v in vars(args).items() if k != "out"},
              "blur_range_px": BLUR_RANGE, "rows": rows}
    (RESULTS / "cpu_ablation.json").write_text(json.dumps(result, indent=1) + "\n")
    lines = ["| model | params | GMACs 256² | synthetic PSNR / SSIM | real PSNR / SSIM (rows >= 56) |",
             "|---|---:|---:|---:|---:|"]
    for name, r in rows.items():
        real = (f"{r['real_psnr']:.2f} / {r['real_ssim']:.3f}" if "real_psnr" in r else "n/a")
        params = f"{r['params'] / 1e6:.3f} M" if "params" in r else "-"
        gmacs = f"{r['gmacs_256']:.2f}" if "gmacs_256" in r else "-"
        lines.append(f"| {name} | {params} | {gmacs} | {r['synthetic_psnr']:.2f} / "
                     f"{r['synthetic_ssim']:.3f} | {real} |")
    scenes = rows["input_C"].get("real_per_scene", {})
    if scenes:
        lines += ["", "| scene | kind | " + " | ".join(rows) + " |",
                  "|---|---|" + "---:|" * len(rows)]
        for scene, info in scenes.items():
            cells = [f"{rows[m]['real_per_scene'][scene]['psnr']:.2f}" for m in rows]
            lines.append(f"| {scene} | {info['kind']} | " + " | ".join(cells) + " |")
    table = "\n".join(lines)
    (RESULTS / "cpu_ablation.md").write_text(table + "\n")
    replace_section("cpu_ablation", table)
    plot_curves(curves, RESULTS / "cpu_ablation_curves.png",
                "CPU ablation: Charbonnier + 0.2 (1 - MS-SSIM)")
    print(table)


def plot_curves(curves, path, title):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 4))
    for name, loss in curves.items():
        smooth = np.convolve(loss, np.ones(20) / 20, mode="valid") if len(loss) > 20 else loss
        ax.plot(smooth, label=name)
    ax.set_xlabel("step")
    ax.set_ylabel("training loss (20-step mean)")
    ax.set_title(title)
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)


if __name__ == "__main__":
    sys.exit(main())

"""Shared machinery of the CPU training experiments (ablation, sim-to-real, campaign).

- `train(...)`: a resumable hand-written loop over a `PatchBank` (checkpoint = model with its
  optimiser + state.json every `checkpoint_every` steps, written atomically), optional
  `on_checkpoint` hook (the campaign scores and keeps its best model there);
- `synthetic_test_set()` / `real_test_set()` / `evaluate(...)`: the one scoring of these
  experiments: synthetic validation scenes (a rng stream no training bank uses) and the four
  real DPDD scenes of ../shared/realdp (from the manifest's first scored row), PSNR / SSIM
  exactly as `mccnet eval` (training/protocol.py), each against the input C in the same call.
"""

from __future__ import annotations

import dataclasses
import json
import pathlib
import sys
import time

import numpy as np

from keras_mccnet import shared_data  # noqa: E402

HERE = pathlib.Path(__file__).resolve().parent
RESULTS = HERE / "results"
# Largest blur per training scene, px: spans the half-scale real scenes (840 px) and DPDD-scale.
BLUR_RANGE = (1.5, 24.0)
SYNTHETIC_VAL_SEED = 12345


@dataclasses.dataclass(frozen=True)
class Schedule:
    steps: int
    batch: int = 8
    lr: float = 1e-3
    warmup: int = 20
    min_lr_ratio: float = 0.05
    checkpoint_every: int = 100
    policy: str = "float32"
    ms_ssim_weight: float | None = None  # None: the loss's default (DEFAULT_MS_SSIM_WEIGHT)
    fft_weight: float = 0.0  # weight of keras_mccnet.losses.spectral_l1 (0: not in the loss)


def limit_threads(threads: int | None) -> None:
    """Runs TensorFlow's kernels on `threads` threads (None: TensorFlow's default, all cores).

    Two one-thread experiments can then share the two cores without taking each other's CPU
    time. Call before the first TensorFlow op."""
    if threads:
        import tensorflow as tf

        tf.config.threading.set_intra_op_parallelism_threads(threads)
        tf.config.threading.set_inter_op_parallelism_threads(threads)


def synthetic_validation_scenes(count: int = 24, size: int = 256, **render_kwargs) -> list[dict]:
    """The synthetic validation scenes as `render_scene` returns them (views, blur and depth
    maps); scene i is the same whatever `count`."""
    from keras_mccnet.data.synthetic import Stream, render_scene, scene_rng

    render_kwargs.setdefault("blur_range", BLUR_RANGE)
    return [render_scene(scene_rng(SYNTHETIC_VAL_SEED, i, Stream.BENCHMARK_VALIDATION),
                         (size, size), **render_kwargs) for i in range(count)]


def synthetic_test_set(count: int = 24, size: int = 256, **render_kwargs):
    scenes = synthetic_validation_scenes(count, size, **render_kwargs)
    return [(s["left"], s["right"], s["center"], s["target"]) for s in scenes]


# The weak DP split of the phone-aware selection: like the Canon R6's (0.083-0.086 measured,
# results/sim_to_real.json) and a phone's, where DPDD's is 0.10-0.25.
WEAK_SPLIT = (0.06, 0.10)


def weak_split_test_set(count: int = 24, size: int = 256):
    """The synthetic validation scenes with a weak DP split (same content, depth, blur, noise)."""
    return synthetic_test_set(count, size, disparity_to_blur=WEAK_SPLIT)


def phone_aware_selection(row: dict) -> float:
    """Mean of the DPDD gain and the synthetic gain averaged over DPDD's split and the weak one
    (`weak_split_gain_db`): the campaigns' selection from campaign 20 on (README). Without
    the DPDD scenes (a user's machine without ../shared/realdp) the two synthetic gains alone."""
    synthetic = 0.5 * (row["synthetic_gain_db"] + row["weak_split_gain_db"])
    if "real_gain_db" not in row:
        return synthetic
    return 0.5 * (synthetic + row["real_gain_db"])


def add_phone_aware(row: dict, model, weak, input_weak_split_psnr: float) -> dict:
    """Adds to an evaluated `row` the model's gain on the weak-split scenes over their input
    and the phone-aware selection; one home for both (campaigns and weight averages)."""
    row["weak_split_gain_db"] = (evaluate(model, weak, [])["synthetic_psnr"]
                                 - input_weak_split_psnr)
    row["phone_aware_selection_db"] = phone_aware_selection(row)
    return row


def real_test_set():
    """The real DPDD scenes of ../shared/realdp as (name, kind, L, R, C, GT, rows_from) tuples,
    read and scored the way `mccnet eval` reads and scores them (its scene reader, its
    indoor/outdoor kinds and the manifest's first scored row); [] when they are absent."""
    root = shared_data.realdp_dir()
    if root is None:
        return []
    from keras_mccnet.data import read_image
    from keras_mccnet.data.dpdd import find_scenes
    from keras_mccnet.training.protocol import manifest_rows_from, scene_kinds

    scenes = find_scenes(root)
    kinds = scene_kinds(root, [s.name for s in scenes])
    rows_from = manifest_rows_from(root) or 0
    return [(s.name, kind, *(read_image(p) for p in (s.left, s.right, s.center, s.target)),
             rows_from) for s, kind in zip(scenes, kinds)]


def scores(pred, target, rows_from=0):
    """PSNR and SSIM exactly as `mccnet eval` scores (training/protocol.py), on the clamped output."""
    from keras_mccnet.training.protocol import score

    result = score(target, np.clip(pred, 0.0, 1.0), rows_from=rows_from)
    return {"psnr": result["psnr"], "ssim": result["ssim"]}


def evaluate_outputs(synthetic, real, output_of):
    """Mean synthetic and real-scene scores of `output_of(left, right, center) -> image`."""
    result = {}
    if synthetic:
        syn = [scores(output_of(l, r, c), t) for l, r, c, t in synthetic]
        result = {"synthetic_psnr": float(np.mean([s["psnr"] for s in syn])),
                  "synthetic_ssim": float(np.mean([s["ssim"] for s in syn]))}
    per_scene = {name: {"kind": kind, **scores(output_of(left, right, center), gt, rows_from)}
                 for name, kind, left, right, center, gt, rows_from in real}
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


def gains(row: dict, baseline: dict) -> dict:
    """dB over the input C on synthetic validation and on the real scenes, and their mean
    (the campaign's selection score: both sets count, never the real scenes alone)."""
    out = {"synthetic_gain_db": row["synthetic_psnr"] - baseline["synthetic_psnr"]}
    if "real_psnr" in row:
        out["real_gain_db"] = row["real_psnr"] - baseline["real_psnr"]
        out["selection_db"] = 0.5 * (out["synthetic_gain_db"] + out["real_gain_db"])
    else:
        out["selection_db"] = out["synthetic_gain_db"]
    return out


def run_tag(name: str) -> str:
    """The run folder name of an experiment label ("mccnet_tiny + D 4/2/1/1" ->
    "mccnet_tiny_D_4211", "tiny 2+2 blocks p128" -> "tiny_22_blocks_p128")."""
    return name.replace(" + ", "_").replace("+", "").replace("/", "").replace(" ", "_")


def checkpoint_scorer(synthetic, real, baseline, evals: list, every: int, last: int | None = None,
                      extra=None, persist=None):
    """The `on_checkpoint` hook of `train` that scores the model every `every` steps (and at step
    `last`), once per step even across resumes: appends {"step", scores, gains, extra(step)} to
    `evals` (the caller's list, loaded from its own file), then calls `persist(model, row)`,
    where the caller saves it. The one scorer of the campaign, the ablation and the budget curve."""

    def hook(model, state):
        step = state["step"]
        due = (every and step % every == 0) or step == last
        if not due or any(e["step"] == step for e in evals):
            return
        row = evaluate(model, synthetic, real)
        row.update(step=step, **(extra(step) if extra else {}), **gains(row, baseline))
        evals.append(row)
        if persist is not None:
            persist(model, row)

    return hook


class TrainingDiverged(SystemExit):
    """The loss became inf or NaN: the run stops, its last good checkpoint stays. A SystemExit,
    so a script that does not handle it exits with the message; one that does (a curve of
    several configs) can record the divergence and go on."""

    def __init__(self, run, step: int, loss: float, checkpoint):
        super().__init__(f"{run}: loss became {loss} at step {step}; last good checkpoint "
                         f"kept in {checkpoint}")
        self.step, self.loss = step, loss


def _compile(model, schedule: Schedule):
    import keras

    from keras_mccnet.losses import DEFAULT_MS_SSIM_WEIGHT, CharbonnierMSSSIMLoss

    decay = keras.optimizers.schedules.CosineDecay(
        0.0, max(1, schedule.steps - schedule.warmup), alpha=schedule.min_lr_ratio,
        warmup_target=schedule.lr, warmup_steps=schedule.warmup)
    model.compile(keras.optimizers.AdamW(decay, weight_decay=1e-4, clipnorm=1.0),
                  CharbonnierMSSSIMLoss(ms_ssim_weight=DEFAULT_MS_SSIM_WEIGHT
                                        if schedule.ms_ssim_weight is None
                                        else schedule.ms_ssim_weight,
                                        fft_weight=schedule.fft_weight))


def seeded_model(preset: str, seed: int, overrides: dict | None = None):
    """`preset` (with constructor `overrides`) initialised from `seed`: a run's starting point."""
    import keras

    from keras_mccnet import MCCNet
    from keras_mccnet.presets import preset_config

    keras.utils.set_random_seed(seed)
    return MCCNet(**{**preset_config(preset), **(overrides or {})})


def train(preset: str, bank, schedule: Schedule, run: pathlib.Path, init=None, seed: int = 0,
          on_checkpoint=None, label: str | None = None, overrides: dict | None = None,
          partial_init: bool = False, trainable_only=None, init_seed: int | None = None,
          stop_after: int | None = None):
    """Trains `preset` (with constructor `overrides`) on `bank` for `schedule.steps` steps in
    `run`, from `init` weights or a `seed`ed initialisation; resumes from the run's checkpoint.
    `init_seed`: draw the initialisation from this seed instead (the data order stays `seed`'s).
    `stop_after`: stop at this step, on the `schedule.steps` schedule (the start of a long run).
    `partial_init`: layers whose shapes differ from `init`'s keep their initialisation (an
    architecture change that keeps most layers, e.g. a strided stem). `trainable_only`: the
    paths of the only layers to train (keras_mccnet.growth.train_only), the rest frozen.

    Returns (model, state); state has "step", "loss" (per step) and "seconds"."""
    import keras

    from keras_mccnet import MCCNet
    from keras_mccnet.atomic_write import atomic_path, atomic_write
    from keras_mccnet.data import BankPyDataset

    keras.mixed_precision.set_global_policy(schedule.policy)
    run.mkdir(parents=True, exist_ok=True)
    ckpt, state_path = run / "checkpoint.keras", run / "state.json"
    state = {"step": 0, "loss": [], "seconds": 0.0}
    resuming = ckpt.exists() and state_path.exists()
    if resuming:
        state = json.loads(state_path.read_text())
        print(f"{run}: resuming at step {state['step']}", flush=True)
        # MCCNet rebuilds its graph from its config, so a frozen run's flags are not saved: it
        # is frozen again below and compiled anew (Adam's moments restart; the schedule not).
        model = keras.saving.load_model(ckpt, compile=trainable_only is None)
    else:
        model = seeded_model(preset, seed if init_seed is None else init_seed, overrides)
        if init:
            model.load_weights(init, skip_mismatch=partial_init)
    if trainable_only is not None:
        from keras_mccnet.growth import train_only

        train_only(model, trainable_only)
    if not model.compiled:
        _compile(model, schedule)
        if resuming:
            model.optimizer.build(model.trainable_variables)
            model.optimizer.iterations.assign(state["step"])
    data = BankPyDataset(bank, schedule.batch, seed=seed)
    from tqdm import tqdm

    bar = tqdm(total=schedule.steps, initial=state["step"], desc=f"training {label or preset}",
               unit="step", mininterval=10)
    started = time.time() - state["seconds"]
    end = schedule.steps if stop_after is None else min(stop_after, schedule.steps)
    if end < state["step"]:  # its record would claim a shorter run than the weights had
        raise SystemExit(f"{run}: at step {state['step']} already, past the stop at step {end}")
    for step in range(state["step"], end):
        x, y = data.batch_at(step)
        loss = float(model.train_on_batch(x, y))
        if not np.isfinite(loss):
            raise TrainingDiverged(run, step, loss, ckpt)
        state["loss"].append(loss)
        state["step"] = step + 1
        bar.update(1)
        bar.set_postfix(loss=f"{loss:.4f}", refresh=False)
        if state["step"] % schedule.checkpoint_every == 0 or state["step"] == end:
            state["seconds"] = time.time() - started
            with atomic_path(ckpt) as tmp:
                model.save(tmp)
            if on_checkpoint is not None:
                on_checkpoint(model, state)
            atomic_write(state_path, json.dumps(state))
    bar.close()
    if state["step"] == schedule.steps:
        model.save_weights(run / "final.weights.h5")
    return model, state


def merge_rows(committed: dict, measured: dict, dropped=()) -> dict:
    """A results table's rows when only some models were re-measured: the committed rows in their
    committed order with the re-measured ones in place, new ones after, `dropped` labels left out
    (rows that no longer describe their model, such as the shipped weights' row of a replaced
    default)."""
    merged = {label: measured.get(label, row) for label, row in committed.items()
              if label not in dropped}
    merged.update({label: row for label, row in measured.items() if label not in merged})
    return merged


def kept_from(committed: dict, labels: list) -> dict:
    """The `rows_kept_from` record of results merged by `--keep-others`: the kept rows' labels and
    the first command of the committed results (earlier merges pass it on)."""
    return {"command": committed.get("rows_kept_from", {}).get("command", committed["command"]),
            "models": labels}


def publish(name: str, result: dict, table: str) -> None:
    """results/NAME.json and NAME.md, and the README section NAME (the one way these benchmarks
    report, so the README always shows the committed output)."""
    from keras_mccnet.atomic_write import atomic_write
    from readme_table import replace_section

    atomic_write(RESULTS / f"{name}.json", json.dumps(result, indent=1) + "\n")
    atomic_write(RESULTS / f"{name}.md", table + "\n")
    if not replace_section(name, table):
        print(f"note: no section '{name}' is marked in README.md or docs/*.md, so no document "
              f"shows it (add <!-- begin:{name} --> and <!-- end:{name} --> and rerun)",
              file=sys.stderr)
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


GAIN_PANELS = (("synthetic_gain_db", "synthetic validation"), ("real_gain_db", "4 real DPDD scenes"))


# Up to this many lines the legend fits inside the real-scenes panel.
INSET_LEGEND_LINES = 6


def plot_gain_panels(series, path, xlabel, ylabel="dB over input C", title=None, styles=None):
    """Synthetic and real gain side by side: `series` maps a line's label to
    {"synthetic_gain_db": [(x, gain), ...], "real_gain_db": [...]} (measured points only);
    `styles` may map a label to matplotlib line keywords (default: a marker per point)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=(11, 4), sharey=True)
    for (key, panel), ax in zip(GAIN_PANELS, axes):
        for label, points in series.items():
            if points.get(key):
                style = (styles or {}).get(label, {"marker": "o"})
                ax.plot(*zip(*points[key]), label=label, **style)
        ax.set(xlabel=xlabel, title=panel)
        ax.grid(alpha=0.3)
    axes[0].set_ylabel(ylabel)
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    if len(series) <= INSET_LEGEND_LINES:
        axes[1].legend(fontsize=8)
        fig.savefig(path, dpi=90)
    else:  # a legend that long would hide the curves it names: it goes below the panels
        fig.legend(*legend_entries(axes), loc="upper center", bbox_to_anchor=(0.5, 0.0),
                   ncol=3, fontsize=8)
        fig.savefig(path, dpi=90, bbox_inches="tight")
    plt.close(fig)


def legend_entries(axes):
    """Every line's handle and label once, even one drawn in a single panel."""
    entries = {}
    for ax in axes:
        for handle, label in zip(*ax.get_legend_handles_labels()):
            entries.setdefault(label, handle)
    return list(entries.values()), list(entries)

"""Training callbacks: resumable checkpoints with a NaN guard, real-scene validation, the curve.

Checkpoint layout (`RUN/checkpoints/`): `ckpt-<step>.weights.h5` holds the model weights AND the
optimizer state (Keras 3 `save_weights` includes the optimizer's variables, its iteration count
among them); `state.json` names the current file and records the global step, epoch and step in
epoch. Each file is written under a temporary name and renamed, and `state.json` is replaced only
after its weights file is complete, so a run killed at any instant leaves a consistent pair.
"""

from __future__ import annotations

import csv
import json
import math
import os
import time

import keras
import numpy as np

from keras_mccnet.atomic_write import atomic_path, atomic_write_json
from keras_mccnet.run_dir import STATE_FILE
from keras_mccnet.training import protocol


def read_state(checkpoint_dir) -> dict | None:
    """The last checkpoint's state dict ({"global_step", "epoch", "step_in_epoch", "weights",
    ...}) or None when the run has none yet."""
    path = os.path.join(checkpoint_dir, STATE_FILE)
    if not os.path.isfile(path):
        return None
    with open(path) as f:
        state = json.load(f)
    state["weights_path"] = os.path.join(checkpoint_dir, state["weights"])
    return state


def _sync_jax_state(model) -> None:
    # Under JAX, fit keeps the variables outside the model between epoch ends; a mid-epoch save
    # must pull them back first (the trainer re-reads them on the next step).
    sync = getattr(model, "jax_state_sync", None)
    if sync is not None:
        sync()


class ResumableCheckpoint(keras.callbacks.Callback):
    """Save weights + optimizer state every `every_steps` steps and at every epoch end; stop on a
    non-finite loss or weight, keeping the last good checkpoint.

    Args:
        checkpoint_dir: folder of the checkpoints (created).
        every_steps: global steps between checkpoints.
        steps_per_epoch: to record the epoch / step-in-epoch of each checkpoint.
        start_step: global step the run resumes from (0 for a fresh run).
    """

    def __init__(self, checkpoint_dir, every_steps, steps_per_epoch, start_step=0):
        super().__init__()
        self.checkpoint_dir = os.fspath(checkpoint_dir)
        self.every_steps = int(every_steps)
        self.steps_per_epoch = int(steps_per_epoch)
        self.global_step = int(start_step)
        self.last_saved_step = int(start_step)
        self.bad_step = None  # global step whose loss or weights went non-finite
        self.bad_what = None
        os.makedirs(self.checkpoint_dir, exist_ok=True)

    def on_train_batch_end(self, batch, logs=None):
        self.global_step += 1
        loss = (logs or {}).get("loss")
        if loss is not None and not math.isfinite(float(loss)):
            self._stop(f"loss {float(loss)}")
            return
        if self.global_step % self.every_steps == 0:
            self.save(logs)

    def on_epoch_end(self, epoch, logs=None):
        if self.bad_step is None and self.global_step != self.last_saved_step:
            self.save(logs)

    def _stop(self, what):
        if self.bad_step is None:
            self.bad_step, self.bad_what = self.global_step, what
        self.model.stop_training = True

    def save(self, logs=None):
        _sync_jax_state(self.model)
        if not all(np.all(np.isfinite(keras.ops.convert_to_numpy(w)))
                   for w in self.model.trainable_weights):
            self._stop("non-finite weights")
            return
        step = self.global_step
        name = f"ckpt-{step:08d}.weights.h5"
        with atomic_path(os.path.join(self.checkpoint_dir, name)) as tmp:
            self.model.save_weights(tmp, overwrite=True)
        loss = (logs or {}).get("loss")
        atomic_write_json(os.path.join(self.checkpoint_dir, STATE_FILE), {
            "weights": name,
            "global_step": step,
            "epoch": step // self.steps_per_epoch,
            "step_in_epoch": step % self.steps_per_epoch,
            "loss": None if loss is None else float(loss),
            "time": time.strftime("%Y-%m-%dT%H:%M:%S"),
        })
        for old in os.listdir(self.checkpoint_dir):
            if old.startswith("ckpt-") and old != name:
                os.remove(os.path.join(self.checkpoint_dir, old))
        self.last_saved_step = step


def load_checkpoint(model, state: dict) -> None:
    """Restore model weights and optimizer state saved by `ResumableCheckpoint`."""
    if model.optimizer is not None and not model.optimizer.built:
        model.optimizer.build(model.trainable_variables)
    model.load_weights(state["weights_path"])


def psnr_rows(pred: np.ndarray, target: np.ndarray, rows_from: int = 0) -> float:
    """PSNR (dB) of clamped `pred` against `target` over rows >= rows_from."""
    return protocol.psnr(target[rows_from:], np.clip(pred, 0.0, 1.0)[rows_from:])


class RealSceneValidation(keras.callbacks.Callback):
    """Mean PSNR on real DP scenes (L/R/GT on disk), logged as `realdp_psnr`: on the first epoch
    of every `fit` call (so the CSV log, whose columns come from that epoch, always has the
    column, also after a resume), every `every_epochs` epochs and at the end. Other epochs carry
    no value (the progress bar shows none, the CSV says NA), never a NaN.

    Args:
        scenes: `Scene` records (find_scenes); images are read once.
        rows_from: first scored row (56 for ../shared/realdp: burnt-in label above).
        every_epochs: scoring period; the last epoch is always scored.
        total_epochs: the run's epoch count.
        tile, overlap: tiled inference (keras_mccnet.predict); 1024 scores the 840x560 real
            scenes in one pass, the cheapest way during training.
    """

    def __init__(self, scenes, rows_from=0, every_epochs=1, total_epochs=1, tile=1024,
                 overlap=64):
        super().__init__()
        from keras_mccnet.data.image_io import read_image

        self.images = [(s.name, read_image(s.left), read_image(s.right), read_image(s.target))
                       for s in scenes]
        self.rows_from = int(rows_from)
        self.every_epochs = int(every_epochs)
        self.total_epochs = int(total_epochs)
        self.tile, self.overlap = tile, overlap

    def score(self) -> dict:
        from keras_mccnet.predict import predict_views

        return {name: psnr_rows(predict_views(self.model, l, r, self.tile, self.overlap), gt,
                                self.rows_from)
                for name, l, r, gt in self.images}

    def on_train_begin(self, logs=None):
        self._first_epoch_of_fit = True

    def on_epoch_end(self, epoch, logs=None):
        if logs is None:
            return
        due = (self.every_epochs > 0 and (epoch + 1) % self.every_epochs == 0) or \
            epoch + 1 == self.total_epochs or getattr(self, "_first_epoch_of_fit", True)
        self._first_epoch_of_fit = False
        if due and not self.model.stop_training:
            per_scene = self.score()
            logs["realdp_psnr"] = float(np.mean(list(per_scene.values())))
            print(f"\nreal-scene PSNR (epoch {epoch + 1}): {logs['realdp_psnr']:.2f} dB  "
                  + "  ".join(f"{k} {v:.2f}" for k, v in per_scene.items()), flush=True)


def plot_training_curve(csv_path, png_path) -> bool:
    """Plot loss / val_loss (and real-scene PSNR) per epoch from the CSV log; False if empty."""
    if not os.path.isfile(csv_path):
        return False
    with open(csv_path) as f:
        rows = list(csv.DictReader(f))
    if not rows:
        return False
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    def column(key):
        values = []
        for row in rows:
            try:
                values.append(float(row.get(key, "nan")))
            except ValueError:
                values.append(float("nan"))
        return np.array(values)

    epochs = column("epoch") + 1
    fig, ax = plt.subplots(figsize=(6, 4))
    for key in ("loss", "val_loss"):
        if key in rows[0]:
            ax.plot(epochs, column(key), marker="o", label=key)
    ax.set_xlabel("epoch")
    ax.set_ylabel("Charbonnier + MS-SSIM loss")
    ax.grid(alpha=0.3)
    ax.legend(loc="upper left")
    psnr = column("realdp_psnr") if "realdp_psnr" in rows[0] else None
    if psnr is not None and np.isfinite(psnr).any():
        ax2 = ax.twinx()
        keep = np.isfinite(psnr)
        ax2.plot(epochs[keep], psnr[keep], "s--", color="tab:green", label="real-scene PSNR")
        ax2.set_ylabel("real-scene PSNR (dB)")
        ax2.legend(loc="upper right")
    fig.tight_layout()
    try:
        with atomic_path(png_path) as tmp:
            fig.savefig(tmp, dpi=100)
    finally:
        plt.close(fig)
    return True

"""`mccnet train`: resumable `model.fit` runs of MCCNet on synthetic DP data or a DPDD folder.

A run directory is the unit of work:

    RUN/config.json           the resolved config (named config + --set overrides)
    RUN/checkpoints/          resumable checkpoint (weights + optimizer state + step)
    RUN/train_log.csv         per-epoch loss, val_loss, PSNR, real-scene PSNR, learning rate
    RUN/tensorboard/          TensorBoard logs (when TensorFlow is installed)
    RUN/history.json          validation loss before training, final metrics, wall time
    RUN/training_curve.png    the curves, written at the end
    RUN/model.keras           the final model (only when training finished)

Running the same command again continues from the last checkpoint (at most one checkpoint
interval of steps is repeated). A NaN or Inf loss stops the run with exit code 3 and keeps the last
good checkpoint.

Example:
    mccnet train --config synthetic_smoke --run-dir runs/smoke --set epochs=3
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import sys
import time

from keras_mccnet.atomic_write import atomic_path, atomic_write_json
from keras_mccnet.training.config import (CONFIG_NAMES, TrainConfig, apply_overrides, load_config,
                             named_config, save_config)

# Keys that may change when a run is resumed (they do not change what was trained so far).
RESUMABLE_CHANGES = {"epochs", "realdp", "realdp_every_epochs", "workers", "distribute",
                     "checkpoint_every_steps"}
EXIT_NAN = 3


def add_arguments(parser):
    parser.add_argument("--config", default="synthetic_smoke", choices=CONFIG_NAMES,
                        help="named config (training/configs/NAME.py); default synthetic_smoke")
    parser.add_argument("--run-dir", required=True,
                        help="run directory; an existing one is resumed from its checkpoint")
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                        help="override a config field, e.g. --set epochs=10 (repeatable)")
    parser.add_argument("--distribute", choices=("none", "mirrored", "data_parallel"),
                        help="shortcut for --set distribute=...")
    parser.add_argument("--quiet", action="store_true", help="one log line per epoch")


def resolve_config(args) -> TrainConfig:
    """A fresh config from --config/--set, or the run's saved one (with resumable changes)."""
    overrides = list(args.set) + ([f"distribute={args.distribute}"] if args.distribute else [])
    from keras_mccnet.run_dir import RunDir

    saved_path = RunDir(args.run_dir).config_path
    if os.path.isfile(saved_path):
        saved = load_config(saved_path)
        config = apply_overrides(saved, overrides)
        changed = {k for k, v in dataclasses.asdict(config).items()
                   if getattr(saved, k) != v} - RESUMABLE_CHANGES
        if changed:
            raise ValueError(f"{args.run_dir} holds a run with a different {', '.join(sorted(changed))}"
                             f"; resume it without those --set overrides, or use a new --run-dir")
        check_config(config)
        return config
    config = apply_overrides(named_config(args.config), overrides)
    check_config(config)
    return config


def check_config(config: TrainConfig) -> None:
    """The checks that need no Keras, run before anything is written (ValueError)."""
    from keras_mccnet.training.distribute import check_mode

    check_mode(config.distribute)
    if config.data != "synthetic" and not os.path.isdir(config.data):
        raise ValueError(f"data: {config.data!r} is not 'synthetic' nor an existing dataset "
                         f"folder; pass --set data=/path/to/dataset")


def synthetic_generator(config: TrainConfig) -> dict:
    """The `render_scene` options of the synthetic training views that the config sets."""
    from keras_mccnet.data.synthetic import DPDD_SHOT_NOISE_RANGE, SHOT_NOISE_RANGE

    noise = {"default": SHOT_NOISE_RANGE, "dpdd": DPDD_SHOT_NOISE_RANGE}[config.noise_profile]
    return dict(small_blur_share=config.small_blur_share, shot_noise_range=noise,
                palette_colors=config.palette_colors)


def _sharp_source(config):
    return None if config.sharp_dir in ("none", "") else config.sharp_dir


def build_data(config: TrainConfig, start_step: int = 0):
    """(train data, validation data) in the element format ({"left", "right"}, target).

    Training data is a `PyDataset` whose epoch e is a pure function of (seed, e), or, for a
    folder of PNG scenes under the TensorFlow backend, the endless tf.data pipeline
    (`keras_mccnet.data.pipeline`: decoded scenes cached, crops mapped in parallel, prefetched);
    see `input_pipeline`. A resumed tf.data run continues with a fresh stream seeded by
    (seed, start_step) rather than replaying the patches of the steps already trained.
    """
    import numpy as np

    workers = dict(workers=max(1, config.workers), use_multiprocessing=False)
    if config.data == "synthetic":
        from keras_mccnet.data.synthetic import Stream, render_scene, resolve_source, scene_rng
        from keras_mccnet.data.synthetic_stream import SyntheticPyDataset

        source = resolve_source(_sharp_source(config))
        train = SyntheticPyDataset(config.patch_size, config.batch_size, config.steps_per_epoch,
                                   config.seed, source, **synthetic_generator(config), **workers)
        # Held out: scenes of the stream that write_dataset uses for "val", never trained on.
        size = config.val_size or 256
        scenes = [render_scene(scene_rng(config.seed, k, Stream.VAL_SPLIT), (size, size), source)
                  for k in range(config.val_scenes)]
        val = ({"left": np.stack([s["left"] for s in scenes]),
                "right": np.stack([s["right"] for s in scenes])},
               np.stack([s["target"] for s in scenes]))
        return train, val
    from keras_mccnet.data.dpdd import dataset_splits, find_scenes
    from keras_mccnet.data.numpy_dataset import DPPatchDataset

    if dataset_splits(config.data):
        train_scenes = find_scenes(config.data, "train")
        val_scenes = find_scenes(config.data, "val")[: config.val_scenes]
    else:  # one flat folder: hold out its last scenes
        train_scenes = find_scenes(config.data)
        if len(train_scenes) <= config.val_scenes:
            raise ValueError(f"{config.data}: {len(train_scenes)} scenes, not enough to hold out "
                             f"val_scenes={config.val_scenes}")
        train_scenes, val_scenes = (train_scenes[: -config.val_scenes],
                                    train_scenes[-config.val_scenes:])
    if use_tf_data(config, train_scenes):
        from keras_mccnet.data.pipeline import make_dataset

        seed = int(np.random.SeedSequence([config.seed, start_step]).generate_state(1)[0])
        train = make_dataset(train_scenes, config.patch_size, config.batch_size, training=True,
                             seed=seed if start_step else config.seed)
    else:
        train = DPPatchDataset(train_scenes, config.patch_size, config.batch_size,
                               training=True, seed=config.seed,
                               steps_per_epoch=config.steps_per_epoch, **workers)
    val = DPPatchDataset(val_scenes, config.val_size or None,
                         config.batch_size if config.val_size else 1, training=False,
                         seed=config.seed, patches_per_image=1)
    return train, val


def use_tf_data(config: TrainConfig, scenes) -> bool:
    """Whether `input_pipeline` picks tf.data for these dataset scenes."""
    import keras

    if config.input_pipeline == "pydataset":
        return False
    if keras.backend.backend() != "tensorflow":
        if config.input_pipeline == "tf.data":
            raise ValueError("input_pipeline=tf.data needs the TensorFlow backend; "
                             f"KERAS_BACKEND is {keras.backend.backend()}")
        return False
    not_png = [s.left for s in scenes if not str(s.left).lower().endswith(".png")]
    if not_png and config.input_pipeline == "tf.data":
        raise ValueError(f"input_pipeline=tf.data reads PNG scenes only, got {not_png[0]}")
    return not not_png


def build_model(config: TrainConfig):
    import keras

    from keras_mccnet.losses import CharbonnierMSSSIMLoss
    from keras_mccnet.mccnet import MCCNet
    from keras_mccnet.metrics import PSNRMetric
    from keras_mccnet.presets import preset_config

    # trained from here: random weights, the residual head at output_init_scale (0: identity)
    model = MCCNet(**preset_config(config.preset), output_init_scale=config.output_init_scale,
                   correlation_contrast=config.correlation_contrast)
    schedule = keras.optimizers.schedules.CosineDecay(
        initial_learning_rate=config.learning_rate * 0.01,
        decay_steps=max(1, config.total_steps - config.warmup_steps),
        alpha=config.min_learning_rate_ratio,
        warmup_target=config.learning_rate,
        warmup_steps=config.warmup_steps,
    )
    optimizer = keras.optimizers.AdamW(learning_rate=schedule, weight_decay=config.weight_decay,
                                       clipnorm=config.clipnorm or None)
    model.compile(optimizer=optimizer,
                  loss=CharbonnierMSSSIMLoss(ms_ssim_weight=config.ms_ssim_weight,
                                             fft_weight=config.fft_weight),
                  metrics=[PSNRMetric()])
    return model


def _callbacks(config, run_dir, checkpoint):
    import importlib.util

    import keras

    from keras_mccnet.training.callbacks import RealSceneValidation

    callbacks = [checkpoint]
    realdp = config.resolved_realdp()
    if realdp:
        from keras_mccnet.data.dpdd import find_scenes

        callbacks.append(RealSceneValidation(find_scenes(realdp), config.realdp_score_rows_from,
                                             config.realdp_every_epochs, config.epochs))
    # after the callbacks that add to the epoch logs, so the CSV and TensorBoard see them
    callbacks.append(keras.callbacks.CSVLogger(os.path.join(run_dir, "train_log.csv"),
                                               append=True))
    if importlib.util.find_spec("tensorflow") is not None:
        callbacks.append(keras.callbacks.TensorBoard(os.path.join(run_dir, "tensorboard"),
                                                     write_graph=False, update_freq="epoch"))
    return callbacks


def train(config: TrainConfig, run_dir: str, verbose: int = 1) -> int:
    """Run (or resume) the training of `config` in `run_dir`; returns the exit code."""
    import keras

    from keras_mccnet.run_dir import RunDir

    started = time.time()
    check_config(config)  # before the run folder and its config.json exist
    os.makedirs(run_dir, exist_ok=True)
    save_config(config, RunDir(run_dir).config_path)
    keras.utils.set_random_seed(config.seed)
    previous_policy = keras.mixed_precision.global_policy()
    if config.mixed_precision != "off":
        keras.mixed_precision.set_global_policy(f"mixed_{config.mixed_precision}")
    try:
        return _train(config, run_dir, verbose, started)
    finally:  # callers (tests, the demo) keep their own policy
        keras.mixed_precision.set_global_policy(previous_policy)


def _train(config, run_dir, verbose, started):
    from keras_mccnet.run_dir import RunDir
    from keras_mccnet.training.callbacks import ResumableCheckpoint, plot_training_curve
    from keras_mccnet.training.distribute import distribution_scope

    run = RunDir(run_dir)
    checkpoint_dir = run.checkpoint_dir
    history_path = os.path.join(run_dir, "history.json")
    with distribution_scope(config.distribute, config.batch_size):
        model = build_model(config)
        start_step = _restore(model, checkpoint_dir, run_dir, config)
        train_data, val_data = build_data(config, start_step)
        if start_step >= config.total_steps and run.finished():
            print(f"{run_dir}: already trained for {config.total_steps} steps", flush=True)
            return 0
        history = _read_history(history_path)
        history["input_pipeline"] = _pipeline_name(train_data)
        if "initial_val_loss" not in history:
            history["initial_val_loss"] = _val_loss(model, val_data, config.batch_size)
            print(f"validation loss before training: {history['initial_val_loss']:.4f}", flush=True)
            atomic_write_json(history_path, history)
        checkpoint = ResumableCheckpoint(checkpoint_dir, config.checkpoint_every_steps,
                                         config.steps_per_epoch, start_step)
        _fit(model, train_data, val_data, config, start_step,
             _callbacks(config, run_dir, checkpoint), verbose, checkpoint)

    plot_training_curve(os.path.join(run_dir, "train_log.csv"),
                        os.path.join(run_dir, "training_curve.png"))
    history["wall_time_s"] = history.get("wall_time_s", 0.0) + time.time() - started
    if checkpoint.bad_step is not None:
        _report_stop(checkpoint, checkpoint_dir, config, history, history_path)
        return EXIT_NAN
    _save_final(model, val_data, config, run_dir, history, history_path, checkpoint.global_step)
    return 0


def _restore(model, checkpoint_dir, run_dir, config) -> int:
    """Loads the run's last checkpoint (weights and optimizer state) into `model`; returns the
    global step to continue from (0 for a fresh run)."""
    import keras

    from keras_mccnet.training.callbacks import load_checkpoint, read_state

    state = read_state(checkpoint_dir)
    if state is None:
        return 0
    load_checkpoint(model, state)
    start_step = int(state["global_step"])
    restored = int(keras.ops.convert_to_numpy(model.optimizer.iterations))
    print(f"resuming {run_dir} from step {start_step} (epoch {state['epoch'] + 1}, "
          f"step {state['step_in_epoch']} of {config.steps_per_epoch}); optimizer "
          f"state restored at step {restored}", flush=True)
    return start_step


def _pipeline_name(train_data) -> str:
    import keras

    return "pydataset" if isinstance(train_data, keras.utils.PyDataset) else "tf.data"


def _read_history(path) -> dict:
    if not os.path.isfile(path):
        return {}
    with open(path) as f:
        return json.load(f)


def _fit(model, train_data, val_data, config, start_step, callbacks, verbose, checkpoint):
    """`model.fit` from `start_step` to the end: first the rest of an interrupted epoch (the
    partial epoch), then whole epochs; stops early when the checkpoint saw a NaN."""
    import keras

    epoch, done_in_epoch = divmod(start_step, config.steps_per_epoch)
    fit = dict(validation_data=val_data, callbacks=callbacks, verbose=verbose)
    if isinstance(val_data, tuple):
        fit["validation_batch_size"] = config.batch_size
    stream = isinstance(train_data, keras.utils.PyDataset)
    if stream:
        train_data.epoch = epoch  # the data streams draw epoch e's patches from (seed, e, i)
    else:  # an endless tf.data stream, shuffled by the pipeline: steps_per_epoch cuts it
        fit.update(steps_per_epoch=config.steps_per_epoch, shuffle=False)
    if done_in_epoch and epoch < config.epochs:
        remaining = config.steps_per_epoch - done_in_epoch
        if stream:
            model.fit(_with_length(train_data, remaining), initial_epoch=epoch, epochs=epoch + 1,
                      **fit)
            train_data.epoch = epoch + 1
        else:  # the next fit starts a new iterator: skip what this one consumed
            model.fit(train_data, initial_epoch=epoch, epochs=epoch + 1,
                      **{**fit, "steps_per_epoch": remaining})
            train_data = train_data.skip(remaining)
        epoch += 1
    if checkpoint.bad_step is None and epoch < config.epochs:
        model.fit(train_data, initial_epoch=epoch, epochs=config.epochs, **fit)


def _report_stop(checkpoint, checkpoint_dir, config, history, history_path) -> None:
    """Says why training stopped (a NaN or Inf) and what to do; records it in the history."""
    from keras_mccnet.training.callbacks import read_state

    kept = read_state(checkpoint_dir)
    where = (f"the last good checkpoint, step {kept['global_step']}, is kept in "
             f"{checkpoint_dir}" if kept else "no checkpoint had been saved yet")
    print(f"\nTRAINING STOPPED: {checkpoint.bad_what} at step {checkpoint.bad_step}. "
          f"{where}. Lower learning_rate (now {config.learning_rate}) or clipnorm, or "
          f"check the data, then run the same command again to resume.", file=sys.stderr,
          flush=True)
    history["stopped"] = {"step": checkpoint.bad_step, "reason": checkpoint.bad_what}
    atomic_write_json(history_path, history)


def _save_final(model, val_data, config, run_dir, history, history_path, global_step) -> None:
    """The final validation loss into the history, and the trained model as model.keras."""
    from keras_mccnet.run_dir import RunDir

    history["final_val_loss"] = _val_loss(model, val_data, config.batch_size)
    history["global_step"] = global_step
    atomic_write_json(history_path, history)
    model_path = RunDir(run_dir).model_path
    with atomic_path(model_path) as tmp:
        model.save(tmp)
    print(f"validation loss: {history['initial_val_loss']:.4f} before training, "
          f"{history['final_val_loss']:.4f} after {global_step} steps; model: {model_path}",
          flush=True)


def _val_loss(model, val_data, batch_size) -> float:
    if isinstance(val_data, tuple):
        logs = model.evaluate(val_data[0], val_data[1], batch_size=batch_size, verbose=0,
                              return_dict=True)
    else:
        logs = model.evaluate(val_data, verbose=0, return_dict=True)
    return float(logs["loss"])


def _with_length(dataset, steps):
    """The same stream cut to `steps` batches (the rest of an interrupted epoch)."""
    import copy

    short = copy.copy(dataset)
    short.steps_per_epoch = steps
    return short


def check_arguments(args) -> int:
    """The argument checks (no Keras, nothing written); 0 or the exit code 2 with a message."""
    try:
        config = resolve_config(args)
    except ValueError as e:
        print(f"mccnet train: {e}", file=sys.stderr)
        return 2
    if config.learning_rate_caution:
        print(f"mccnet train: warning: {config.learning_rate_caution}", file=sys.stderr)
    return 0


def run(args) -> int:
    try:
        config = resolve_config(args)
    except ValueError as e:
        print(f"mccnet train: {e}", file=sys.stderr)
        return 2
    return train(config, args.run_dir, verbose=2 if args.quiet else 1)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="mccnet train", description=__doc__.splitlines()[0])
    add_arguments(parser)
    args = parser.parse_args(argv)
    code = check_arguments(args)  # as the `mccnet` command does before run
    return code if code else run(args)


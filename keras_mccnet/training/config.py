"""Training configuration as code: one frozen dataclass, named configs in `training/configs/`.

`--set key=value` overrides a field; the value is parsed with the field's type. The resolved
config (after overrides and path resolution) is saved as `config.json` in the run directory, so a
run can be reproduced, and resumed, from that folder alone.
"""

from __future__ import annotations

import dataclasses
import importlib
import json

from keras_mccnet import shared_data
from keras_mccnet.atomic_write import atomic_write_json
from keras_mccnet.presets import PRESETS

CONFIG_NAMES = ("synthetic_smoke", "synthetic_base", "dpdd")
# The synthetic views' sensor noise: "default" is the generator's own range, "dpdd" matches the
# grain of the real DPDD views (keras_mccnet.data.synthetic.DPDD_SHOT_NOISE_RANGE).
NOISE_PROFILES = ("default", "dpdd")
# The highest learning rate at which `mccnet_base` was seen to train well from the zero start:
# at 1e-3 it lost 38 of 48 channels of dec_s1_upconv and 11 of 24 of its full-resolution merge
# (README, decoder_health_zero); at 5e-4 it gained +1.67 / +1.28 dB (synthetic / real) in 45
# CPU-minutes against +0.60 / +0.58 (README, "`mccnet_base` at half that rate again"; one seed).
# The small presets train at 1e-3.
BASE_WIDTH_MAX_LEARNING_RATE = 5e-4


@dataclasses.dataclass(frozen=True)
class TrainConfig:
    """Every knob of a training run.

    Attributes:
        preset: model preset (`keras_mccnet.presets.PRESETS`).
        data: "synthetic" (on-the-fly rendered DP patches) or a dataset folder in any layout of
            `keras_mccnet.data.find_scenes` (DPDD, Restormer, plain L/R/GT).
        sharp_dir: content of synthetic scenes: "default" (../shared/sharp when present, else
            procedural), a folder of sharp photos, or "none" (procedural only).
        small_blur_share, noise_profile, palette_colors: the synthetic training views'
            generator (`render_scene`): the share of phone-like small-blur scenes, the sensor
            noise ("default" or "dpdd", the real DPDD views' grain) and a dithered GIF palette
            of that many colours per view (0 = off). Validation scenes stay clean defaults, as
            in the CPU campaigns. The shipped weights were trained with 0.25 and "dpdd".
        patch_size, batch_size: training crops and batch.
        epochs, steps_per_epoch: length of the run.
        val_scenes, val_size: held-out validation set: synthetic scenes of the separate "val"
            rng stream, or the dataset's val split; val_size is the centre crop side (0 = full).
        learning_rate, min_learning_rate_ratio, warmup_steps: AdamW schedule, a linear warm-up
            to learning_rate then cosine decay to learning_rate * min_learning_rate_ratio.
        weight_decay, clipnorm: AdamW decoupled weight decay; global-norm gradient clipping
            (0 = off).
        ms_ssim_weight: lambda of Charbonnier + lambda * (1 - MS-SSIM).
        fft_weight: weight of an added spectral L1 term (`keras_mccnet.losses.spectral_l1`);
            0 keeps the paper's objective. Measured only for fine-tuning (docs/campaigns.md).
        mixed_precision: "off", "bfloat16" or "float16" (mixed_* Keras policies).
        realdp: real L/R/GT folder scored every `realdp_every_epochs` epochs ("auto" =
            ../shared/realdp/dpdd_gif4 when present, "none" = off).
        realdp_score_rows_from: first scored row of the real scenes (56 for dpdd_gif4: its rows
            0-55 carry a burnt-in label).
        checkpoint_every_steps: steps between resumable checkpoints (also saved every epoch).
        distribute: "none", "mirrored" (tf.distribute.MirroredStrategy, TensorFlow) or
            "data_parallel" (keras.distribution.DataParallel, JAX).
        workers: PyDataset worker threads for the input pipeline (0 = in the training thread).
        input_pipeline: for a dataset folder, "auto" (tf.data under the TensorFlow backend when
            the scenes are PNG, else the NumPy PyDataset), "tf.data" or "pydataset".
        seed: seeds the model initialisation and the data.
        output_init_scale: variance scale of the residual head's initial kernel
            (`MCCNet(output_init_scale=...)`); 0, the default, starts the network at exactly its
            input C. From scratch the presets' 1e-2 start left many seeds on a +0.07 dB plateau;
            the zero start freed most of them (README, "The ablation again, every model from
            the zero start"), not all: at lr 2e-3 ReLU units still died in some runs, the
            full-resolution merge among them; at the default 1e-3 every ablation run trained
            (README, "The learning rate, not the start").
        correlation_contrast: the fusion sees each cost curve minus its mean over displacements
            (`MCCNet(correlation_contrast=True)`); `mccnet*` presets only. Off by default, as the
            shipped weights were trained. From the zero start at lr 2e-3 it trained in 10 of 10
            ablation seeds, plain correlation in 5 of 9; at the default 1e-3 both trained in
            every seed tried and the contrast added nothing (README).
    """

    preset: str = "mccnet_tiny"
    data: str = "synthetic"
    sharp_dir: str = "default"
    small_blur_share: float = 0.0
    noise_profile: str = "default"
    palette_colors: int = 0
    patch_size: int = 64
    batch_size: int = 4
    epochs: int = 2
    steps_per_epoch: int = 20
    val_scenes: int = 8
    val_size: int = 96
    learning_rate: float = 1e-3
    min_learning_rate_ratio: float = 0.01
    warmup_steps: int = 10
    weight_decay: float = 1e-4
    clipnorm: float = 1.0
    ms_ssim_weight: float = 0.2
    fft_weight: float = 0.0
    mixed_precision: str = "off"
    realdp: str = "auto"
    realdp_score_rows_from: int = 56
    realdp_every_epochs: int = 1
    checkpoint_every_steps: int = 50
    distribute: str = "none"
    workers: int = 0
    input_pipeline: str = "auto"
    seed: int = 0
    output_init_scale: float = 0.0
    correlation_contrast: bool = False

    def __post_init__(self):
        if self.mixed_precision not in ("off", "bfloat16", "float16"):
            raise ValueError(f"mixed_precision must be off, bfloat16 or float16, "
                             f"got {self.mixed_precision!r}")
        if self.distribute not in ("none", "mirrored", "data_parallel"):
            raise ValueError(f"distribute must be none, mirrored or data_parallel, "
                             f"got {self.distribute!r}")
        if self.input_pipeline not in ("auto", "tf.data", "pydataset"):
            raise ValueError(f"input_pipeline must be auto, tf.data or pydataset, "
                             f"got {self.input_pipeline!r}")
        if self.noise_profile not in NOISE_PROFILES:
            raise ValueError(f"noise_profile must be one of {', '.join(NOISE_PROFILES)}, "
                             f"got {self.noise_profile!r}")
        if not 0.0 <= self.small_blur_share <= 1.0:
            raise ValueError(f"small_blur_share must be in [0, 1], got {self.small_blur_share}")
        for name in ("ms_ssim_weight", "fft_weight", "output_init_scale"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} must be >= 0, got {getattr(self, name)}")
        architecture = PRESETS.get(self.preset, {}).get("architecture")
        if self.correlation_contrast and architecture not in (None, "mccnet"):
            raise ValueError(f"correlation_contrast needs an mccnet preset (a cost volume), "
                             f"got preset {self.preset!r} ({architecture})")
        if self.palette_colors != 0 and not 2 <= self.palette_colors <= 256:
            raise ValueError(f"palette_colors must be 0 (off) or in [2, 256], "
                             f"got {self.palette_colors}")
        for name in ("patch_size", "batch_size", "epochs", "steps_per_epoch",
                     "checkpoint_every_steps"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be >= 1, got {getattr(self, name)}")

    @property
    def learning_rate_caution(self) -> str | None:
        """A warning when a base-width preset trains faster than it was seen to survive."""
        if (PRESETS.get(self.preset, {}).get("widths") != PRESETS["mccnet_base"]["widths"]
                or self.learning_rate <= BASE_WIDTH_MAX_LEARNING_RATE):
            return None
        return (f"learning_rate {self.learning_rate:g} for {self.preset}: at 1e-3 mccnet_base lost "
                f"many of its decoder's channels in our runs; at {BASE_WIDTH_MAX_LEARNING_RATE:g} "
                f"it trained (README, budget curve). Consider --set "
                f"learning_rate={BASE_WIDTH_MAX_LEARNING_RATE:g} or the synthetic_base config "
                f"(2e-4).")

    @property
    def total_steps(self) -> int:
        return self.epochs * self.steps_per_epoch

    def resolved_realdp(self) -> str | None:
        """The real-scene validation folder, or None when off or absent."""
        if self.realdp in ("", "none"):
            return None
        if self.realdp == "auto":
            return shared_data.realdp_dir()
        return self.realdp

    def to_json(self) -> dict:
        return dataclasses.asdict(self)


def _parse_value(field: dataclasses.Field, text: str):
    kind = field.type if isinstance(field.type, str) else field.type.__name__
    if kind == "bool":
        if text.lower() in ("1", "true", "yes", "on"):
            return True
        if text.lower() in ("0", "false", "no", "off"):
            return False
        raise ValueError(f"--set {field.name}: expected true/false, got {text!r}")
    try:
        return {"int": int, "float": float, "str": str}[kind](text)
    except ValueError:
        raise ValueError(f"--set {field.name}: expected {kind}, got {text!r}") from None


def apply_overrides(config: TrainConfig, overrides) -> TrainConfig:
    """`overrides`: strings "key=value"; unknown keys and unparsable values raise ValueError."""
    fields = {f.name: f for f in dataclasses.fields(TrainConfig)}
    changes = {}
    for item in overrides or ():
        key, sep, value = item.partition("=")
        key = key.strip()
        if not sep:
            raise ValueError(f"--set expects key=value, got {item!r}")
        if key not in fields:
            raise ValueError(f"--set: unknown config key {key!r}; valid keys: "
                             f"{', '.join(sorted(fields))}")
        changes[key] = _parse_value(fields[key], value.strip())
    return dataclasses.replace(config, **changes)


def named_config(name: str) -> TrainConfig:
    """The named config `training/configs/<name>.py` (its module-level `CONFIG`)."""
    if name not in CONFIG_NAMES:
        raise ValueError(f"unknown config {name!r}; valid configs: {', '.join(CONFIG_NAMES)}")
    return importlib.import_module(f"keras_mccnet.training.configs.{name}").CONFIG


def save_config(config: TrainConfig, path) -> None:
    """Write the resolved config as JSON, atomically."""
    atomic_write_json(path, config.to_json())


def load_config(path) -> TrainConfig:
    with open(path) as f:
        values = json.load(f)
    known = {f.name for f in dataclasses.fields(TrainConfig)}
    return TrainConfig(**{k: v for k, v in values.items() if k in known})

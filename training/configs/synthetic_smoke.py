"""synthetic_smoke: a seconds-scale CPU run that proves the whole training path works.

mccnet_tiny on 64x64 synthetic DP patches rendered on the fly, 2 epochs of 10 steps, validation
on 4 held-out synthetic 64x64 scenes, real-scene PSNR on ../shared/realdp at the end.

Run:
    mccnet train --config synthetic_smoke --run-dir runs/smoke

Measured (2 shared CPU cores, TensorFlow backend): see benchmarks/results/smoke_train.json
(wall time and validation loss before/after, written by benchmarks/smoke_train.py).
"""

from training.config import TrainConfig

CONFIG = TrainConfig(
    preset="mccnet_tiny",
    data="synthetic",
    patch_size=64,
    batch_size=4,
    epochs=2,
    steps_per_epoch=10,
    val_scenes=4,
    val_size=64,
    learning_rate=2e-3,
    warmup_steps=5,
    checkpoint_every_steps=10,
    realdp_every_epochs=2,
    workers=0,
)

"""synthetic_smoke: a seconds-scale CPU run that proves the whole training path works.

mccnet_tiny on 64x64 synthetic DP patches rendered on the fly, 2 epochs of 10 steps, validation
on 4 held-out synthetic 64x64 scenes, real-scene PSNR on ../shared/realdp at the end.

Run:
    mccnet train --config synthetic_smoke --run-dir runs/smoke

Measured (2 CPU cores shared with other jobs, TensorFlow backend, benchmarks/smoke_train.py ->
benchmarks/results/smoke_train.json): 99 s wall including start-up; validation loss 0.105 before
training, 0.063 after 20 steps; real-scene PSNR 24.42 dB (input C: 24.70 dB).
"""

from keras_mccnet.training.config import TrainConfig

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

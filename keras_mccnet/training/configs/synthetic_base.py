"""synthetic_base: the real synthetic training run of mccnet_base (a GPU job).

256x256 patches rendered on the fly from ../shared/sharp photos and procedural content, batch 8,
100 epochs x 1000 steps (800k patches), AdamW 2e-4 with 2k warm-up steps and cosine decay,
real-scene PSNR on ../shared/realdp every epoch.

Run:
    mccnet train --config synthetic_base --run-dir runs/synthetic_base
    KERAS_BACKEND=jax mccnet train --config synthetic_base --run-dir runs/synthetic_base \
        --set distribute=data_parallel          # several GPUs

Measured: not run on these machines: mccnet_base trains at 0.14 images/s (TensorFlow) and
0.07 images/s (JAX) at 256 px on their 2 shared CPU cores (benchmarks/train_throughput.py), so
800k patches is a GPU job; the command, resume and JAX data parallelism are tested on CPU.
"""

from keras_mccnet.training.config import TrainConfig

CONFIG = TrainConfig(
    preset="mccnet_base",
    data="synthetic",
    patch_size=256,
    batch_size=8,
    epochs=100,
    steps_per_epoch=1000,
    val_scenes=32,
    val_size=256,
    learning_rate=2e-4,
    warmup_steps=2000,
    weight_decay=1e-4,
    clipnorm=1.0,
    checkpoint_every_steps=500,
    realdp_every_epochs=1,
    workers=4,
)

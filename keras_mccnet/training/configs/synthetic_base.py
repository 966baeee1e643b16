"""synthetic_base: the real synthetic training run of mccnet_base (a GPU job).

256x256 patches rendered on the fly from ../shared/sharp photos and procedural content, batch 8,
100 epochs x 1000 steps (800k patches), AdamW 2e-4 with 2k warm-up steps and cosine decay,
real-scene PSNR on ../shared/realdp every epoch. The training views use the generator settings
the shipped mccnet_tiny weights were trained with: a quarter of phone-like small-blur scenes and
the real DPDD views' sensor grain (paired with a control campaign, the grain gained +0.10 dB on
the four DPDD scenes and cost 0.06 dB on clean synthetic validation;
benchmarks/results/campaign6_pair.md).

Run:
    mccnet train --config synthetic_base --run-dir runs/synthetic_base
    KERAS_BACKEND=jax mccnet train --config synthetic_base --run-dir runs/synthetic_base \
        --set distribute=data_parallel          # several GPUs

Measured: not run on these machines. On their 2 CPU cores `model.fit` of mccnet_base at 256 px,
data pipeline included, runs 0.34 images/s in float32 with on-the-fly rendering, 0.42 from a
pre-rendered patch bank and 0.72 with the bfloat16 policy below (AVX512-BF16/AMX through
oneDNN), all in one run on a shared machine (load 5; benchmarks/train_speed_cpu.py,
results/train_speed_cpu.json), so 800k patches is a GPU job; the command, resume and JAX data
parallelism are tested on CPU. bfloat16 also suits the GPU host; variables, the residual base
and the loss stay float32.
"""

from keras_mccnet.training.config import TrainConfig

CONFIG = TrainConfig(
    preset="mccnet_base",
    data="synthetic",
    small_blur_share=0.25,
    noise_profile="dpdd",
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
    mixed_precision="bfloat16",
)

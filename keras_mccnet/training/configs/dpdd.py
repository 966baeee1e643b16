"""dpdd: the paper setting, for users who have DPDD (Abuolaim & Brown 2020) on disk.

mccnet_base on 512x512 random crops of the 350 training scenes (DP-consistent flips), batch 4,
validation on the 74 val scenes (centre 512 crops), 200 epochs x 350 steps, AdamW 2e-4 with warm-up
and cosine decay, Charbonnier + 0.2 (1 - MS-SSIM), real-scene PSNR on ../shared/realdp.
Score the result with `mccnet eval --data DPDD --split test` (design.md section 3 protocol).

Run:
    mccnet train --config dpdd --set data=/path/to/dd_dp_dataset_png --run-dir runs/dpdd

Measured: not run here (DPDD cannot be downloaded on these machines).
"""

from keras_mccnet.training.config import TrainConfig

CONFIG = TrainConfig(
    preset="mccnet_base",
    data="REQUIRED: --set data=/path/to/dd_dp_dataset_png",
    patch_size=512,
    batch_size=4,
    epochs=200,
    steps_per_epoch=350,
    val_scenes=74,
    val_size=512,
    learning_rate=2e-4,
    warmup_steps=2000,
    weight_decay=1e-4,
    clipnorm=1.0,
    checkpoint_every_steps=350,
    realdp_every_epochs=1,
    workers=4,
)

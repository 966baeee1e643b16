"""Training callbacks: the real-scene PSNR never logs a NaN."""

import math

import numpy as np
from training_helpers import MICRO

from keras_mccnet.data.dpdd import Scene
from keras_mccnet.data.image_io import write_image


def test_real_scene_psnr_is_scored_on_the_first_epoch_and_never_nan(tmp_path):
    from keras_mccnet import MCCNet
    from keras_mccnet.training.callbacks import RealSceneValidation

    rng = np.random.default_rng(0)
    paths = {}
    for role in ("left", "right", "target"):
        paths[role] = str(tmp_path / f"{role}.png")
        write_image(paths[role], rng.random((16, 24, 3)).astype(np.float32))
    callback = RealSceneValidation([Scene("s", paths["left"], paths["right"], paths["target"])],
                                   every_epochs=3, total_epochs=5, tile=0)
    model = MCCNet(**MICRO)
    model.stop_training = False  # as fit sets it
    callback.set_model(model)
    callback.on_train_begin()
    logged = []
    for epoch in range(5):
        logs = {"loss": 0.1}
        callback.on_epoch_end(epoch, logs)
        logged.append(logs.get("realdp_psnr"))
    # before: epoch 1 logged `realdp_psnr: nan` (every_epochs > 1)
    assert [v is not None for v in logged] == [True, False, True, False, True]
    assert all(math.isfinite(v) for v in logged if v is not None)

"""A `mccnet train` run folder, and the one rule for reading a model out of it.

Training writes, and predict, eval, deblur, export and verify read, these names only:

    RUN/config.json                 the resolved training config (its `preset` names the model)
    RUN/checkpoints/state.json      names the latest checkpoint weights file in checkpoints/
    RUN/model.keras                 the final model, written once training has finished

`RunDir.load()` looks in this order and nowhere else:

1. `RUN/model.keras`, the finished model;
2. else the latest checkpoint (a run still training, or stopped): the architecture of
   `config.json`'s preset with the weights that `checkpoints/state.json` names, with a warning
   that the run has not finished.
"""

from __future__ import annotations

import json
import os
import warnings

MODEL_FILE = "model.keras"
CONFIG_FILE = "config.json"
CHECKPOINT_DIR = "checkpoints"
STATE_FILE = "state.json"


class RunDir:
    """A training run folder (see the module docstring for what it holds and what loads).

    Args:
        path: the run folder (`mccnet train --run-dir PATH`).

    Example:
        >>> model = RunDir("runs/smoke").load()
    """

    def __init__(self, path):
        self.path = os.fspath(path)

    @property
    def model_path(self) -> str:
        return os.path.join(self.path, MODEL_FILE)

    @property
    def config_path(self) -> str:
        return os.path.join(self.path, CONFIG_FILE)

    @property
    def checkpoint_dir(self) -> str:
        return os.path.join(self.path, CHECKPOINT_DIR)

    @property
    def state_path(self) -> str:
        return os.path.join(self.checkpoint_dir, STATE_FILE)

    def finished(self) -> bool:
        """Whether training finished (the final model file exists)."""
        return os.path.isfile(self.model_path)

    def has_checkpoint(self) -> bool:
        return os.path.isfile(self.config_path) and os.path.isfile(self.state_path)

    def load(self):
        """The run's model, by the order of the module docstring; FileNotFoundError otherwise."""
        if self.finished():
            from keras_mccnet.model_spec import load_keras_file

            return load_keras_file(self.model_path)
        if self.has_checkpoint():
            return self._load_checkpoint()
        raise FileNotFoundError(
            f"{self.path}: not a finished training run (no {MODEL_FILE}) and no checkpoint "
            f"({CONFIG_FILE} + {CHECKPOINT_DIR}/{STATE_FILE}); train it with "
            f"`mccnet train --run-dir {self.path}`")

    def _load_checkpoint(self):
        import keras_mccnet
        from keras_mccnet.mccnet import MCCNet
        from keras_mccnet.presets import preset_config

        keras_mccnet.register_serializables()
        with open(self.config_path) as f:
            preset = json.load(f)["preset"]
        with open(self.state_path) as f:
            state = json.load(f)
        weights = os.path.join(self.checkpoint_dir, state["weights"])
        if not os.path.isfile(weights):
            raise FileNotFoundError(f"{weights}: checkpoint named by {self.state_path} is missing")
        warnings.warn(f"{self.path}: training has not finished (no {MODEL_FILE}); using its "
                      f"checkpoint at step {state.get('global_step')}", stacklevel=3)
        net = MCCNet(**preset_config(preset))
        # The checkpoint also holds optimizer variables; only the model's are needed here.
        net.load_weights(weights, skip_mismatch=True)
        return net

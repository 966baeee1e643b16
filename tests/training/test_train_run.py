"""mccnet train: a killed run resumes from its checkpoint, NaN stops cleanly, mixed precision,
MirroredStrategy on two logical CPUs and JAX data parallelism."""

import json
import subprocess
import sys
import time

import numpy as np
import pytest
from training_helpers import REPO, TINY_RUN, subprocess_env

from keras_mccnet.training.train import EXIT_NAN, main


def train_command(run_dir, *extra):
    return [sys.executable, "-m", "keras_mccnet.cli", "train", "--config", "synthetic_smoke",
            "--run-dir", str(run_dir), *TINY_RUN, *extra]


def wait_for_checkpoint(run_dir, proc, timeout=240):
    state_path = run_dir / "checkpoints" / "state.json"
    deadline = time.time() + timeout
    while time.time() < deadline:
        if state_path.is_file():
            return json.loads(state_path.read_text())
        if proc.poll() is not None:
            pytest.fail(f"training exited with {proc.returncode} before its first checkpoint:\n"
                        + proc.stdout.read().decode(errors="replace")[-3000:])
        time.sleep(0.1)
    pytest.fail("no checkpoint appeared")


@pytest.mark.slow
def test_killed_run_resumes_from_its_last_checkpoint(tmp_path):
    run_dir = tmp_path / "run"
    command = train_command(run_dir, "--set", "epochs=2", "--set", "steps_per_epoch=4",
                            "--set", "checkpoint_every_steps=2")
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            env=subprocess_env(), cwd=REPO)
    state = wait_for_checkpoint(run_dir, proc)
    proc.kill()  # SIGKILL: no cleanup, as a crash or preemption
    proc.wait()
    assert not (run_dir / "model.keras").exists(), "the run finished before it was killed"
    killed_at = json.loads((run_dir / "checkpoints" / "state.json").read_text())["global_step"]
    assert killed_at >= state["global_step"] >= 2

    resumed = subprocess.run(command, capture_output=True, text=True, env=subprocess_env(),
                             cwd=REPO, timeout=400)
    assert resumed.returncode == 0, resumed.stderr[-3000:]
    assert f"from step {killed_at} " in resumed.stdout
    assert f"optimizer state restored at step {killed_at}" in resumed.stdout
    history = json.loads((run_dir / "history.json").read_text())
    assert history["global_step"] == 8  # continued, not restarted: 8 steps in all
    assert (run_dir / "model.keras").is_file()
    assert (run_dir / "training_curve.png").is_file()
    assert (run_dir / "train_log.csv").read_text().count("\n") >= 2
    assert json.loads((run_dir / "config.json").read_text())["steps_per_epoch"] == 4


@pytest.mark.slow
def test_nan_loss_stops_and_keeps_the_last_good_checkpoint(tmp_path, capsys):
    from keras_mccnet.run_dir import RunDir

    run_dir = tmp_path / "run"
    code = main(["--config", "synthetic_smoke", "--run-dir", str(run_dir), *TINY_RUN,
                 "--set", "learning_rate=1e30", "--set", "checkpoint_every_steps=1",
                 "--set", "epochs=1", "--set", "steps_per_epoch=6"])
    assert code == EXIT_NAN
    err = capsys.readouterr().err
    assert "TRAINING STOPPED" in err and "last good checkpoint" in err
    assert not (run_dir / "model.keras").exists()
    state = json.loads((run_dir / "checkpoints" / "state.json").read_text())
    assert 1 <= state["global_step"] < 6
    with pytest.warns(UserWarning, match="has not finished"):
        model = RunDir(run_dir).load()  # the kept checkpoint loads and is finite
    assert all(np.all(np.isfinite(np.asarray(w))) for w in model.weights)


@pytest.mark.slow
def test_mixed_bfloat16_model_trains_with_a_float32_output():
    # Model-level (what `--set mixed_precision=bfloat16` sets up): a full CLI run in bfloat16
    # is minutes on CPU, where bfloat16 convolutions are emulated.
    import keras

    from keras_mccnet import MCCNet
    from keras_mccnet.losses import CharbonnierMSSSIMLoss
    from training_helpers import MICRO

    keras.mixed_precision.set_global_policy("mixed_bfloat16")
    try:
        model = MCCNet(**MICRO)
        assert model.get_layer("out_conv").dtype_policy.compute_dtype == "bfloat16"
        x = np.random.default_rng(0).random((2, 24, 24, 3)).astype(np.float32)
        y = model({"left": x, "right": x})
        assert keras.backend.standardize_dtype(y.dtype) == "float32"
        model.compile(keras.optimizers.AdamW(1e-3), loss=CharbonnierMSSSIMLoss())
        loss = model.fit({"left": x, "right": x}, x, epochs=1, verbose=0).history["loss"][0]
        assert np.isfinite(loss)
    finally:
        keras.mixed_precision.set_global_policy("float32")


MIRRORED = """
import sys
import tensorflow as tf
cpu = tf.config.list_physical_devices("CPU")[0]
tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()] * 2)
from keras_mccnet.training.train import main
sys.exit(main(sys.argv[1:]))
"""


@pytest.mark.slow
def test_mirrored_strategy_on_two_logical_cpus(tmp_path):
    run_dir = tmp_path / "run"
    args = train_command(run_dir, "--set", "epochs=1", "--set", "steps_per_epoch=3",
                         "--distribute", "mirrored")[4:]
    result = subprocess.run([sys.executable, "-c", MIRRORED, *args], capture_output=True,
                            text=True, env=subprocess_env(), cwd=REPO, timeout=400)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "MirroredStrategy over 2 devices" in result.stdout
    assert (run_dir / "model.keras").is_file()


@pytest.mark.slow
def test_jax_backend_data_parallel_on_two_host_devices(tmp_path):
    pytest.importorskip("jax")
    run_dir = tmp_path / "run"
    env = subprocess_env(KERAS_BACKEND="jax",
                         XLA_FLAGS="--xla_force_host_platform_device_count=2")
    result = subprocess.run(train_command(run_dir, "--set", "epochs=1", "--set",
                                          "steps_per_epoch=3", "--distribute", "data_parallel"),
                            capture_output=True, text=True, env=env, cwd=REPO, timeout=400)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "DataParallel over 2 devices" in result.stdout
    history = json.loads((run_dir / "history.json").read_text())
    assert history["global_step"] == 3 and np.isfinite(history["final_val_loss"])


@pytest.mark.slow
@pytest.mark.parametrize("pipeline", ["auto", "pydataset"])
def test_trains_on_a_dpdd_folder_with_its_val_split(tmp_path, pipeline):
    import keras

    from keras_mccnet.data.image_io import write_image

    rng = np.random.default_rng(0)
    data = tmp_path / "dpdd"
    for split, n in (("train", 3), ("val", 2)):
        for k in range(n):
            gt = rng.random((40, 48, 3)).astype(np.float32)
            write_image(data / f"{split}_l/source/{split}{k}_L.png", gt * 0.9)
            write_image(data / f"{split}_r/source/{split}{k}_R.png", gt * 0.8)
            write_image(data / f"{split}_c/target/{split}{k}.png", gt)
    run_dir = tmp_path / "run"
    assert main(["--config", "dpdd", "--run-dir", str(run_dir), *TINY_RUN,
                 "--set", f"data={data}", "--set", "preset=mccnet_tiny", "--set", "epochs=1",
                 "--set", "steps_per_epoch=2", "--set", "workers=0",
                 "--set", f"input_pipeline={pipeline}"]) == 0
    history = json.loads((run_dir / "history.json").read_text())
    assert history["global_step"] == 2 and np.isfinite(history["final_val_loss"])
    # Under TensorFlow, `auto` feeds fit from the tf.data pipeline; PyDataset elsewhere.
    tf_data = pipeline == "auto" and keras.backend.backend() == "tensorflow"
    assert history["input_pipeline"] == ("tf.data" if tf_data else "pydataset")
    assert json.loads((run_dir / "config.json").read_text())["data"] == str(data)

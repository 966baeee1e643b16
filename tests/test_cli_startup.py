"""`mccnet --help` and argument errors answer before Keras is imported; TensorFlow's start-up
lines are hidden unless --verbose."""

import os
import subprocess
import sys

import pytest

from keras_mccnet.cli import COMMANDS

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

PROBE = """
import sys
from keras_mccnet.cli import main
for argv in {argvs!r}:
    try:
        main(argv)
    except SystemExit:
        pass
heavy = sorted(m for m in ("keras", "tensorflow", "jax", "torch") if m in sys.modules)
print("HEAVY", heavy, file=sys.stderr)
"""


def _run(code, **env):
    full = {k: v for k, v in os.environ.items() if k != "TF_CPP_MIN_LOG_LEVEL"}
    full.update(PYTHONPATH=REPO, **env)
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=full, cwd=REPO, timeout=300)


def test_help_and_argument_errors_import_no_backend():
    argvs = [["--help"], ["frobnicate"]] + [[name, "--help"] for name in COMMANDS] + [
        ["train", "--run-dir"], ["export", "--model", "x"], ["eval"], ["deblur", "a.png"]]
    result = _run(PROBE.format(argvs=argvs))
    assert "HEAVY []" in result.stderr, result.stderr[-2000:]
    assert "demo" in result.stdout  # the top-level help lists every stage


def test_distribute_mode_of_another_backend_fails_before_any_file(tmp_path):
    from keras_mccnet.startup import configured_backend

    wrong = "data_parallel" if configured_backend() != "jax" else "mirrored"
    run_dir = tmp_path / "run"
    code = (f"import sys; from keras_mccnet.cli import main; "
            f"sys.exit(main(['train', '--run-dir', {str(run_dir)!r}, '--distribute', {wrong!r}]))")
    result = _run(code + "\nimport sys")
    assert result.returncode == 2
    assert f"--distribute {wrong} needs KERAS_BACKEND=" in result.stderr
    assert not run_dir.exists()  # before: a config.json that broke the next, correct command


@pytest.mark.slow
def test_tensorflow_start_up_lines_are_hidden_unless_verbose():
    code = ("import sys; from keras_mccnet.cli import main; "
            "sys.exit(main(['info', '--preset', 'mccnet_tiny', '--size', '32', '32'] + "
            "sys.argv[1:]))")
    quiet = _run(code)
    assert quiet.returncode == 0 and "mccnet_tiny" in quiet.stdout
    for noise in ("cuInit", "oneDNN", "absl::InitializeLog", "cpu_feature_guard"):
        assert noise not in quiet.stderr, quiet.stderr


def test_importing_the_package_is_cheap_and_its_names_load_on_first_use():
    result = _run("import sys, keras_mccnet\n"
                  "print('before', 'keras' in sys.modules)\n"
                  "model = keras_mccnet.MCCNet(widths=(8,), evidence_channels=4, "
                  "fusion_channels=8)\n"
                  "import keras\n"
                  "assert keras.saving.get_registered_object('keras_mccnet>MCCNet') is not None\n"
                  "print('after', keras_mccnet.losses.__name__)")
    assert result.returncode == 0, result.stderr[-2000:]
    assert "before False" in result.stdout and "after keras_mccnet.losses" in result.stdout

"""benchmarks/ablation_park.py: an ablation's runs in one archive that outlives OUT."""

import json
import pathlib
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))

import ablation_park  # noqa: E402

SETUP = {"steps": 6400, "batch": 8, "lr": 0.001}


def finished_run(run: pathlib.Path) -> None:
    run.mkdir(parents=True)
    (run / ablation_park.RESULT).write_text(json.dumps({"steps": 6400, "row": {"seed": 0}}))
    (run / ablation_park.EVALS).write_text("[1600, 3200]")
    (run / ablation_park.CHECKPOINT).write_bytes(b"the finished run's last checkpoint")


def run_at_checkpoint(run: pathlib.Path, step: int) -> dict:
    """A run as train() leaves it inside its checkpoint hooks: the new checkpoint on disk, the
    previous step's state.json; returns the step's in-memory state."""
    run.mkdir(parents=True, exist_ok=True)
    (run / ablation_park.CHECKPOINT).write_bytes(b"model at step %d" % step)
    (run / ablation_park.EVALS).write_text("[]")
    (run / ablation_park.STATE).write_text(json.dumps({"step": step - 50, "loss": []}))
    return {"step": step, "loss": [0.5] * step, "seconds": 2.0}


def files(folder: pathlib.Path) -> dict:
    return {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_finished_and_running_runs_restore_into_an_empty_out(tmp_path):
    out, archive = tmp_path / "out", tmp_path / "parked" / "a.zip"
    finished_run(out / "concat_seed0")
    state = run_at_checkpoint(out / "mccnet_seed0", 1250)
    ablation_park.park(archive, [out / "concat_seed0", out / "mccnet_seed0"], SETUP,
                       current=(out / "mccnet_seed0", state))
    fresh = tmp_path / "fresh machine"
    restored = ablation_park.unpark(archive, fresh, SETUP)
    assert restored == {"concat_seed0": ablation_park.FINISHED, "mccnet_seed0": 1250}
    # The finished run comes back with its result, not its checkpoint (the table needs no more).
    assert not (fresh / "concat_seed0" / ablation_park.CHECKPOINT).exists()
    assert (fresh / "concat_seed0" / ablation_park.RESULT).read_bytes() == \
        (out / "concat_seed0" / ablation_park.RESULT).read_bytes()
    running = fresh / "mccnet_seed0"
    assert (running / ablation_park.CHECKPOINT).read_bytes() == b"model at step 1250"
    assert json.loads((running / ablation_park.STATE).read_text()) == state
    assert ablation_park.progress(running) == 1250


def test_only_the_commands_own_runs_are_parked(tmp_path):
    out, archive = tmp_path / "out", tmp_path / "a.zip"
    finished_run(out / "mine_seed0")
    finished_run(out / "another_process_seed1")
    ablation_park.park(archive, [out / "mine_seed0"], SETUP)
    assert set(ablation_park.unpark(archive, tmp_path / "fresh", SETUP)) == {"mine_seed0"}


def test_runs_as_far_or_further_along_are_left_alone(tmp_path):
    out, archive = tmp_path / "out", tmp_path / "a.zip"
    run_at_checkpoint(out / "mccnet_seed0", 1000)
    finished_run(out / "concat_seed0")
    ablation_park.park(archive, [out / "mccnet_seed0", out / "concat_seed0"], SETUP)
    ahead = tmp_path / "ahead"
    run_at_checkpoint(ahead / "mccnet_seed0", 2050)  # its state on disk says step 2000
    finished_run(ahead / "concat_seed0")
    before = files(ahead)
    assert ablation_park.unpark(archive, ahead, SETUP) == {}
    assert files(ahead) == before
    assert ablation_park.unpark(tmp_path / "absent.zip", ahead, SETUP) == {}


def test_an_archive_of_another_setup_is_refused_naming_the_setting(tmp_path):
    out, archive = tmp_path / "out", tmp_path / "a.zip"
    finished_run(out / "concat_seed0")
    ablation_park.park(archive, [out / "concat_seed0"], SETUP)
    with pytest.raises(SystemExit, match="steps: 6400 -> 1600"):
        ablation_park.unpark(archive, tmp_path / "fresh", {**SETUP, "steps": 1600})
    assert not (tmp_path / "fresh").exists()

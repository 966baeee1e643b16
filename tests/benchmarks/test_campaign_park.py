"""benchmarks/campaign_park.py: a campaign's resume state in one archive that outlives OUT."""

import json
import pathlib
import sys

import numpy as np
import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))

import campaign_park  # noqa: E402
import cpu_training  # noqa: E402
from model_checks import random_bank  # noqa: E402

SETUP = {"preset": "mccnet_tiny", "seed": 5, "lr": 0.001, "workers": 1}


def fake_campaign(out: pathlib.Path, step: int, setup=SETUP, best=True) -> dict:
    """OUT as a campaign leaves it at a checkpoint (files with recognisable bytes); returns the
    step's in-memory state."""
    (out / "run").mkdir(parents=True, exist_ok=True)
    (out / campaign_park.CHECKPOINT).write_bytes(b"model at step %d" % step)
    (out / campaign_park.EVALS).write_text(json.dumps({"setup": setup, "evals": [step]}))
    if best:
        (out / campaign_park.BEST).write_bytes(b"best up to step %d" % step)
    # On disk, the state still says the previous checkpoint: train() writes it after the hooks.
    (out / campaign_park.STATE).write_text(json.dumps({"step": step - 1, "loss": []}))
    return {"step": step, "loss": [0.5] * step, "seconds": 1.0}


def test_a_parked_campaign_restores_into_an_empty_out_with_the_steps_own_state(tmp_path):
    out, archive = tmp_path / "out", tmp_path / "parked" / "c.zip"
    state = fake_campaign(out, 300)
    campaign_park.park(out, archive, state)
    fresh = tmp_path / "fresh machine"
    assert campaign_park.unpark(archive, fresh, SETUP) == 300
    for name in (campaign_park.CHECKPOINT, campaign_park.EVALS, campaign_park.BEST):
        assert (fresh / name).read_bytes() == (out / name).read_bytes(), name
    assert json.loads((fresh / campaign_park.STATE).read_text()) == state
    assert campaign_park.local_step(fresh) == 300


def test_a_campaign_without_a_best_yet_parks_and_restores_without_one(tmp_path):
    out, archive = tmp_path / "out", tmp_path / "c.zip"
    campaign_park.park(out, archive, fake_campaign(out, 100, best=False))
    fresh = tmp_path / "fresh"
    assert campaign_park.unpark(archive, fresh, SETUP) == 100
    assert not (fresh / campaign_park.BEST).exists()


def test_nothing_is_restored_over_a_run_as_far_or_further_along(tmp_path):
    out, archive = tmp_path / "out", tmp_path / "c.zip"
    campaign_park.park(out, archive, fake_campaign(out, 300))
    assert campaign_park.unpark(tmp_path / "absent.zip", tmp_path / "x", SETUP) is None
    ahead = tmp_path / "ahead"
    fake_campaign(ahead, 501)  # its state on disk says step 500
    before = {p: p.read_bytes() for p in ahead.rglob("*") if p.is_file()}
    assert campaign_park.unpark(archive, ahead, SETUP) is None
    assert {p: p.read_bytes() for p in ahead.rglob("*") if p.is_file()} == before


def test_an_archive_parked_by_another_setup_is_refused_naming_the_setting(tmp_path):
    out, archive = tmp_path / "out", tmp_path / "c.zip"
    campaign_park.park(out, archive, fake_campaign(out, 200))
    with pytest.raises(SystemExit, match=r"lr: 0\.001 -> 0\.0005") as refused:
        campaign_park.unpark(archive, tmp_path / "fresh", {**SETUP, "lr": 0.0005})
    assert "c.zip" in str(refused.value) and "seed" not in str(refused.value)
    assert not (tmp_path / "fresh" / campaign_park.STATE).exists()
    # Where it runs and with how many render workers is not a training setting.
    assert campaign_park.unpark(archive, tmp_path / "fresh", {**SETUP, "workers": 2}) == 200


def test_cpu_campaign_checks_its_park_archive_before_any_work(tmp_path):
    import cpu_campaign

    out, archive = tmp_path / "out", tmp_path / "c.zip"
    campaign_park.park(out, archive, fake_campaign(out, 200))
    with pytest.raises(SystemExit, match=r"c\.zip: parked by another campaign setup \(lr"):
        cpu_campaign.main(["--out", str(tmp_path / "new"), "--park", str(archive),
                           "--lr", "0.002", "--seed", "5"])
    assert not (tmp_path / "new" / "bank.npz").exists()


@pytest.mark.slow
def test_a_resumed_run_continues_from_its_archive_as_if_never_stopped(tmp_path, capsys):
    bank = random_bank(np.random.default_rng(0), 8)
    schedule = cpu_training.Schedule(steps=4, batch=2, lr=1e-3, warmup=1, checkpoint_every=2)

    class MachineGone(Exception):
        pass

    def campaign(out, park_and_stop_at=None, archive=None):
        out.mkdir(parents=True, exist_ok=True)
        (out / campaign_park.EVALS).write_text(json.dumps({"setup": SETUP, "evals": []}))

        def hook(model, state):
            if state["step"] == park_and_stop_at:
                campaign_park.park(out, archive, state)
                raise MachineGone  # before train() writes the step's state.json

        return cpu_training.train("mccnet_tiny", bank, schedule, out / "run", seed=3,
                                  on_checkpoint=hook)[1]

    whole = campaign(tmp_path / "whole")
    archive = tmp_path / "parked.zip"
    with pytest.raises(MachineGone):
        campaign(tmp_path / "first machine", park_and_stop_at=2, archive=archive)
    second = tmp_path / "second machine"
    assert campaign_park.unpark(archive, second, SETUP) == 2
    capsys.readouterr()
    resumed = campaign(second)
    assert "resuming at step 2" in capsys.readouterr().out  # not trained again from the seed
    assert len(resumed["loss"]) == 4
    np.testing.assert_allclose(resumed["loss"], whole["loss"], rtol=1e-4)

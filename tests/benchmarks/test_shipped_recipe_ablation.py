"""The shipped-recipe ablation's campaigns: their commands and where each stands."""

import json
import os
import pathlib
import shlex
import sys
import time
import zipfile

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))

import campaign_park  # noqa: E402
import cpu_training  # noqa: E402
import shipped_recipe_ablation as ablation  # noqa: E402


def test_every_network_has_a_campaign_at_every_seed_and_names_are_unique():
    assert set(ablation.CAMPAIGNS) == {(a, s) for a in ablation.NETWORKS for s in ablation.SEEDS}
    assert len(set(ablation.CAMPAIGNS.values())) == len(ablation.CAMPAIGNS)


def test_the_built_commands_are_the_ones_the_finished_campaigns_recorded():
    recipe = ablation.recipe_options()
    checked = 0
    for (arm, seed), name in ablation.CAMPAIGNS.items():
        result = cpu_training.RESULTS / f"{name}.json"
        if result.is_file():
            recorded = json.loads(result.read_text())["command"]
            assert ablation.campaign_command(arm, seed, recipe) == recorded, name
            checked += 1
    assert checked >= 12  # all four networks at seeds 73, 83 and 103 are committed


def test_only_the_network_seed_and_names_differ_from_the_recipe():
    recipe = ablation.recipe_options()
    built = ablation.options(ablation.campaign_command("correlation, ranges 4/2/1/1", 103, recipe))
    changed = {k for k in built.keys() | recipe.keys() if built.get(k) != recipe.get(k)}
    assert changed == {"--out", "--override", "--seed", "--results-name"}
    assert built["--override"] == ["max_displacements=[4,2,1,1]"]
    assert built["--shot-noise"] == ["0.0002", "0.002"]


def test_options_keeps_every_value_of_an_option_and_flags_without_one():
    parsed = ablation.options("benchmarks/cpu_campaign.py --shot-noise 0.1 0.2 --phone-aware "
                              "--override 'a=[1,2]' --seed 5")
    assert parsed == {"--shot-noise": ["0.1", "0.2"], "--phone-aware": [],
                      "--override": ["a=[1,2]"], "--seed": ["5"]}


@pytest.fixture
def places(tmp_path, monkeypatch):
    results, parked = tmp_path / "results", tmp_path / "parked"
    results.mkdir()
    parked.mkdir()
    monkeypatch.setattr(cpu_training, "RESULTS", results)
    monkeypatch.setattr(ablation, "PARKED", parked)
    monkeypatch.setattr(ablation, "RUNS", tmp_path / "runs")
    return results, parked


def park_at(archive: pathlib.Path, step: int) -> None:
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr(campaign_park.STATE, json.dumps({"step": step}))


def test_status_tells_finished_parked_and_not_started_apart(places):
    results, parked = places
    (results / "done.json").write_text(json.dumps({"steps_done": 19200,
                                                   "setup": {"steps": 19200}}))
    (results / "half.json").write_text(json.dumps({"steps_done": 9600,
                                                   "setup": {"steps": 19200}}))
    park_at(parked / "half.zip", 9700)
    assert ablation.status("done") == ("finished", 19200)
    assert ablation.status("half") == ("parked", 9700)
    assert ablation.status("never") == ("not started", 0)


def test_a_run_only_in_runs_is_begun_here_and_a_parked_one_stands_where_it_went_furthest(places):
    results, parked = places
    for name, step in (("local", 300), ("both", 800)):
        run = ablation.RUNS / name / "run"
        run.mkdir(parents=True)
        (run / "checkpoint.keras").write_bytes(b"")
        (run / "state.json").write_text(json.dumps({"step": step}))
    park_at(parked / "both.zip", 700)
    assert ablation.status("local") == ("begun here", 300)
    assert ablation.status("both") == ("parked", 800)


def test_the_arms_command_takes_only_finished_campaigns():
    rows = [{"arm": "concatenation", "name": "c73", "status": "finished"},
            {"arm": "concatenation", "name": "c103", "status": "parked"},
            {"arm": "Siamese-only (no correlation)", "name": "s73", "status": "not started"}]
    words = shlex.split(ablation.arms_command(rows))
    assert words == ["benchmarks/campaign_arms.py", "--arm", "concatenation",
                     "benchmarks/results/c73.json", "--name", "shipped_recipe_arms"]


def test_to_run_keeps_the_chosen_networks_begun_first_then_by_seed():
    rows = [{"arm": "concatenation", "seed": 113, "status": "not started"},
            {"arm": "correlation (default ranges)", "seed": 113, "status": "not started"},
            {"arm": "concatenation", "seed": 103, "status": "not started"},
            {"arm": "Siamese-only (no correlation)", "seed": 113, "status": "parked"},
            {"arm": "concatenation", "seed": 73, "status": "finished"},
            {"arm": "correlation, ranges 4/2/1/1", "seed": 113, "status": "begun here"}]
    chosen = ablation.to_run(rows, ["concatenation", "correlation (default ranges)"])
    assert [(r["arm"], r["seed"]) for r in chosen] == [
        ("concatenation", 103), ("concatenation", 113), ("correlation (default ranges)", 113)]
    everything = ablation.to_run(rows, None)
    assert [r["status"] for r in everything[:2]] == ["parked", "begun here"]
    assert len(everything) == 5


def test_an_unknown_network_is_refused_with_the_choices(capsys):
    with pytest.raises(SystemExit):
        ablation.main(["--arm", "transformer"])
    error = capsys.readouterr().err
    assert "'transformer'" in error and "'concatenation'" in error


def test_a_missing_recipe_is_named(places):
    with pytest.raises(SystemExit, match="campaign81_recipe_scratch_fft_long.json"):
        ablation.recipe_options()


def test_a_restore_is_judged_by_the_step_restored_and_a_step_trained_past_it():
    line = campaign_park.restored_line(pathlib.Path("runs/x"), pathlib.Path("/tmp/x.zip"), 4200)
    restored = line.encode() + b"\nloading\n"
    assert ablation.restore_verdict(b"loading the bank", 4200) is None
    assert ablation.restore_verdict(restored + b"training:  22%| 4200/19200 [00:01", 4200) is None
    assert ablation.restore_verdict(
        restored + b"4200/19200 [00:01<?\r 4206/19200 [00:03<1:20", 4200) == (
        True, "restored at step 4200, trained on to step 4206")
    ok, why = ablation.restore_verdict(restored, 4300)
    assert not ok and why == "restored at step 4200, parked at step 4300"


def a_campaign_that(prints: str, then: str, first: str = "") -> list[str]:
    """A stand-in campaign process: runs `first`, prints `prints`, then runs `then` (Python)."""
    return [sys.executable, "-c", f"import sys, time, subprocess\n{first}\n"
            f"sys.stdout.write({prints!r})\nsys.stdout.flush()\n{then}"]


def test_a_resuming_campaign_is_stopped_with_its_children_once_it_trains_past_the_step(tmp_path):
    child = tmp_path / "child.pid"
    # The worker starts before the progress shows, so the check cannot stop the campaign first.
    command = a_campaign_that(
        "x: restored from a.zip at step 10\n10/20 [00:00\r11/20 [00:01", "time.sleep(600)",
        first=f"p = subprocess.Popen(['sleep', '600'])\n"
              f"open({str(child)!r}, 'w').write(str(p.pid))")
    start = time.monotonic()
    assert ablation.resumes(command, 10, timeout=60) == (
        True, "restored at step 10, trained on to step 11")
    assert time.monotonic() - start < 30
    pid = int(child.read_text())
    deadline = time.monotonic() + 5
    while running(pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not running(pid)  # the worker goes with the campaign (its process group)


def running(pid: int) -> bool:
    """Whether process `pid` is alive (a zombie waiting to be reaped is not)."""
    try:
        return pathlib.Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def test_a_campaign_that_refuses_its_archive_fails_the_check_with_its_last_words():
    command = a_campaign_that("--park a.zip: parked by another campaign setup (seed: 1 -> 2)\n",
                              "sys.exit(1)")
    ok, why = ablation.resumes(command, 10, timeout=60)
    assert not ok
    assert why == ("exited with status 1 before training past step 10: --park a.zip: parked by "
                   "another campaign setup (seed: 1 -> 2)")


def test_a_campaign_that_never_trains_past_the_step_fails_the_check_at_the_timeout():
    command = a_campaign_that("x: restored from a.zip at step 10\n10/20 [00:00",
                              "time.sleep(600)")
    start = time.monotonic()
    assert ablation.resumes(command, 10, timeout=2) == (False, "no step past 10 within 2 s")
    assert time.monotonic() - start < 15


def test_the_check_of_a_missing_archive_names_it(places):
    ok, why = ablation.check_restore({"name": "gone", "command": ""}, threads=1, timeout=1)
    assert not ok and why.endswith("gone.zip: no parked archive")


def test_a_probe_is_checked_with_its_recorded_command_in_a_scratch_folder(places, monkeypatch):
    results, parked = places
    recorded = ("benchmarks/cpu_campaign.py --out runs/probe --preset concat_tiny --seed 113 "
                "--results-name probe")
    (results / "probe.json").write_text(json.dumps({"command": recorded}))
    park_at(parked / "probe.zip", 8100)
    seen = {}

    def fake_resumes(command, parked_step, timeout):
        seen.update(command=command, step=parked_step)
        return True, "resumed"

    monkeypatch.setattr(ablation, "resumes", fake_resumes)
    assert ablation.main(["--check-restore-of", "probe", "--threads", "1"]) == 0
    words = seen["command"][1:]
    assert seen["step"] == 8100
    assert words[:2] == ["benchmarks/cpu_campaign.py", "--out"]
    # The recorded settings, run on one thread from a copy of the archive, under scratch names:
    assert words[words.index("--preset") + 1] == "concat_tiny"
    assert words[words.index("--seed") + 1] == "113"
    assert words[words.index("--threads") + 1] == "1"
    for option in ("--out", "--park"):
        assert "restore_check_" in words[words.index(option) + 1]
    assert words[words.index("--results-name") + 1] == "restore_check_probe"


def test_a_probe_without_recorded_results_is_refused_naming_the_file(places):
    with pytest.raises(SystemExit, match=r"--check-restore-of gone: .*gone\.json is missing"):
        ablation.main(["--check-restore-of", "gone"])

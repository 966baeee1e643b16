"""The correlation ablation on the shipped recipe: which campaigns are done; the rest, run.

    .venv/bin/python benchmarks/shipped_recipe_ablation.py            # status and commands
    nohup .venv/bin/python benchmarks/shipped_recipe_ablation.py --run &   # runs what is missing

Four networks (correlation with the default search ranges and with 4/2/1/1, concatenation, the
Siamese encoder without correlation) are each trained from scratch with campaign 81's command,
the recipe of the shipped weights, at every seed in SEEDS. Every campaign's command is that
recorded command with only the network, the seed and the names changed, so the arms differ in
the network alone. The status table says per campaign: finished (its results name steps_done =
steps), parked at step N (benchmarks/parked/NAME.zip, committed so it outlives the machine),
begun here (only in runs/NAME, lost with the machine) or not started. `--run` runs the
unfinished ones one after another, begun ones first (each parks as it goes and
resumes from its archive), then prints the `campaign_arms.py` command over the finished ones;
`--arm LABEL` (repeatable) keeps `--run` and the printed commands to those networks, e.g. the
two the README's headline compares:

    .venv/bin/python benchmarks/shipped_recipe_ablation.py --run \
        --arm "correlation (default ranges)" --arm concatenation

One machine, one `--run`: two runs of the same campaign at once would share its folder.
`--check-restore` checks that each parked archive would resume on a fresh machine (what to do
before committing one): a copy of it is resumed in a scratch folder until it has trained past
the parked step, then stopped; the archive and runs/ are not touched, so it can run beside
`--run`. `--check-restore-of NAME` does the same for a parked run outside the registry (a probe),
from the command its results (benchmarks/results/NAME.json, from `cpu_campaign.py --report`)
recorded.
"""

from __future__ import annotations

import argparse
import json
import os
import pathlib
import re
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import campaign_park  # noqa: E402
import cpu_training  # noqa: E402
from campaign_arms import finished  # noqa: E402

# The recipe lives in one place: the command campaign 81 recorded (the shipped weights' recipe).
RECIPE = "campaign81_recipe_scratch_fft_long"
# Three seeds answer the issue; the fourth (113) is there to firm up a lead of about one seed spread.
SEEDS = (73, 83, 103, 113)
# Arm label -> (preset, model overrides); the labels are those of the README's tables.
NETWORKS = {
    "correlation (default ranges)": ("mccnet_tiny", []),
    "correlation, ranges 4/2/1/1": ("mccnet_tiny", ["max_displacements=[4,2,1,1]"]),
    "concatenation": ("concat_tiny", []),
    "Siamese-only (no correlation)": ("siamese_no_corr_tiny", []),
}
# (arm, seed) -> the campaign's results name (its number in docs/campaigns.md).
CAMPAIGNS = {
    ("correlation (default ranges)", 73): "campaign81_recipe_scratch_fft_long",
    ("correlation (default ranges)", 83): "campaign85_recipe_scratch_fft_long_seed83",
    ("correlation (default ranges)", 103): "campaign102_recipe_scratch_fft_long_seed103",
    ("correlation, ranges 4/2/1/1", 73): "campaign96_d4211_scratch_fft_long",
    ("correlation, ranges 4/2/1/1", 83): "campaign99_d4211_scratch_fft_long_seed83",
    ("correlation, ranges 4/2/1/1", 103): "campaign105_d4211_scratch_fft_long_seed103",
    ("concatenation", 73): "campaign100_concat_scratch_fft_long",
    ("concatenation", 83): "campaign101_concat_scratch_fft_long_seed83",
    ("concatenation", 103): "campaign103_concat_scratch_fft_long_seed103",
    ("Siamese-only (no correlation)", 73): "campaign97_siamese_scratch_fft_long",
    ("Siamese-only (no correlation)", 83): "campaign98_siamese_scratch_fft_long_seed83",
    ("Siamese-only (no correlation)", 103): "campaign104_siamese_scratch_fft_long_seed103",
    ("correlation (default ranges)", 113): "campaign106_recipe_scratch_fft_long_seed113",
    ("concatenation", 113): "campaign107_concat_scratch_fft_long_seed113",
    ("Siamese-only (no correlation)", 113): "campaign108_siamese_scratch_fft_long_seed113",
    ("correlation, ranges 4/2/1/1", 113): "campaign109_d4211_scratch_fft_long_seed113",
}
PARKED = HERE / "parked"
RUNS = HERE.parent / "runs"
# The options cpu_campaign.py records after the recipe's data and loss options, in this order.
TAIL = ("--override", "--seed", "--checkpoint-every", "--eval-every", "--workers",
        "--results-name")


def options(command: str) -> dict[str, list[str]]:
    """A recorded cpu_campaign.py command as {option: its values}, in the command's order."""
    parsed: dict[str, list[str]] = {}
    for token in shlex.split(command)[1:]:
        if token.startswith("--"):
            current = parsed.setdefault(token, [])
        else:
            current.append(token)
    return parsed


def recipe_options() -> dict[str, list[str]]:
    path = cpu_training.RESULTS / f"{RECIPE}.json"
    if not path.is_file():
        raise SystemExit(f"shipped_recipe_ablation.py: {path}: the recipe's campaign result is "
                         "missing")
    return options(json.loads(path.read_text())["command"])


def campaign_command(arm: str, seed: int, recipe: dict[str, list[str]]) -> str:
    """The recipe's command for one network and seed, as cpu_campaign.py records it (without
    --park and --threads, which say how a run is hosted, not what it trains)."""
    name = CAMPAIGNS[(arm, seed)]
    preset, overrides = NETWORKS[arm]
    changed = {"--out": [f"runs/{name}"], "--preset": [preset], "--override": overrides,
               "--seed": [str(seed)], "--results-name": [name]}
    merged = {**recipe, **changed}
    words = ["benchmarks/cpu_campaign.py"]
    for key in [k for k in recipe if k not in TAIL] + list(TAIL):
        if key == "--override" and not merged[key]:
            continue
        words += [key, *merged[key]]
    return shlex.join(words)


def status(name: str) -> tuple[str, int]:
    """('finished' | 'parked' | 'begun here' | 'not started', the step it stands at): parked is
    in the repository, begun here only in this machine's git-ignored runs/ folder."""
    result = cpu_training.RESULTS / f"{name}.json"
    if result.is_file():
        campaign = json.loads(result.read_text())
        if finished(campaign):
            return "finished", campaign["steps_done"]
    parked = campaign_park.parked_step(PARKED / f"{name}.zip")
    local = campaign_park.local_step(RUNS / name)
    if parked is not None:
        return "parked", max(parked, local)
    return ("begun here", local) if local >= 0 else ("not started", 0)


def status_table(rows: list[dict]) -> str:
    lines = ["| arm | seed | campaign | status |", "|---|---:|---|---|"]
    for row in rows:
        where = row["status"] + (f" at step {row['step']}"
                                 if row["status"] in ("parked", "begun here") else "")
        lines.append(f"| {row['arm']} | {row['seed']} | `{row['name']}` | {where} |")
    return "\n".join(lines)


def arms_command(rows: list[dict]) -> str:
    """campaign_arms.py over the finished campaigns (an arm with none is left out)."""
    words = ["benchmarks/campaign_arms.py"]
    for arm in NETWORKS:
        done = [r["name"] for r in rows if r["arm"] == arm and r["status"] == "finished"]
        if done:
            words += ["--arm", arm, *(f"benchmarks/results/{n}.json" for n in done)]
    return shlex.join(words + ["--name", "shipped_recipe_arms"])


def survey() -> list[dict]:
    recipe = recipe_options()
    rows = []
    for arm in NETWORKS:
        for seed in SEEDS:
            name = CAMPAIGNS[(arm, seed)]
            state, step = status(name)
            rows.append({"arm": arm, "seed": seed, "name": name, "status": state, "step": step,
                         "command": campaign_command(arm, seed, recipe)})
    return rows


def recorded_row(name: str) -> dict:
    """A parked run outside the registry (a probe) as a status row, with the command its results
    recorded; its archive is benchmarks/parked/NAME.zip like the registry's."""
    path = cpu_training.RESULTS / f"{name}.json"
    if not path.is_file():
        raise SystemExit(f"shipped_recipe_ablation.py: --check-restore-of {name}: {path} is "
                         "missing (run the campaign's command with --report first)")
    return {"arm": "-", "seed": None, "name": name, "status": "parked",
            "command": json.loads(path.read_text())["command"]}


def hosted_command(row: dict, threads: int) -> list[str]:
    """The campaign's command as run here: its threads, and parked in benchmarks/parked/."""
    return [*shlex.split(row["command"]), "--threads", str(threads),
            "--park", os.path.relpath(PARKED / f"{row['name']}.zip", HERE.parent)]


def to_run(rows: list[dict], arms: list[str] | None) -> list[dict]:
    """The unfinished campaigns of `arms` (all networks when None), begun ones first, then by
    seed, so that a stopped `--run` leaves whole seeds rather than whole networks."""
    unfinished = [r for r in rows if r["status"] != "finished" and (not arms or r["arm"] in arms)]
    return sorted(unfinished, key=lambda r: (r["status"] == "not started", r["seed"]))


# campaign_park.restored_line, as cpu_campaign.py prints it, and its progress bar's step count.
RESTORED = re.compile(rb"restored from \S+ at step (\d+)")
PROGRESS = re.compile(rb"(\d+)/\d+ \[")


def restore_verdict(output: bytes, parked: int) -> tuple[bool, str] | None:
    """Whether a resumed campaign's `output` shows the archive restored at step `parked` and
    training past it: (True, how far), (False, why), or None while it is still too early."""
    restored = RESTORED.search(output)
    if restored is None:
        return None
    if int(restored.group(1)) != parked:
        return False, f"restored at step {int(restored.group(1))}, parked at step {parked}"
    steps = [int(m.group(1)) for m in PROGRESS.finditer(output, restored.end())]
    if steps and max(steps) > parked:
        return True, f"restored at step {parked}, trained on to step {max(steps)}"
    return None


def resumes(command: list[str], parked: int, timeout: float) -> tuple[bool, str]:
    """Runs `command` (a campaign whose --out and --park are scratch copies) until its output
    gives a verdict, it exits or `timeout` seconds pass; then stops it with its workers."""
    process = subprocess.Popen(command, cwd=HERE.parent, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, start_new_session=True)
    output = bytearray()
    reader = threading.Thread(target=collect, args=(process.stdout, output), daemon=True)
    reader.start()
    deadline = time.monotonic() + timeout
    try:
        while True:
            verdict = restore_verdict(bytes(output), parked)
            if verdict is not None:
                return verdict
            if process.poll() is not None:
                reader.join(timeout=10)
                verdict = restore_verdict(bytes(output), parked)
                last = bytes(output).decode(errors="replace").strip().splitlines()[-1:]
                return verdict or (False, f"exited with status {process.returncode} before "
                                          f"training past step {parked}: {' '.join(last)}")
            if time.monotonic() > deadline:
                return False, f"no step past {parked} within {timeout:.0f} s"
            time.sleep(0.5)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def collect(stream, output: bytearray) -> None:
    """Appends `stream` to `output` as it comes, not line by line: a progress bar ends its
    updates with a carriage return."""
    for chunk in iter(lambda: stream.read1(4096), b""):
        output.extend(chunk)


def check_restore(row: dict, threads: int, timeout: float) -> tuple[bool, str]:
    """Resumes a copy of the row's parked archive in a scratch folder (reusing this machine's
    patch bank when it has one: a bank is a function of its seed) until it trains past the
    parked step. Nothing of the campaign's own is written."""
    archive = PARKED / f"{row['name']}.zip"
    if not archive.is_file():
        return False, f"{archive}: no parked archive"
    with tempfile.TemporaryDirectory(prefix="restore_check_") as scratch:
        out, copy = pathlib.Path(scratch) / "out", pathlib.Path(scratch) / archive.name
        shutil.copy(archive, copy)
        # The copy's step, not the archive's: a campaign running beside may park again meanwhile.
        parked = campaign_park.parked_step(copy)
        bank = RUNS / row["name"] / "bank.npz"
        if bank.is_file():
            out.mkdir()
            os.symlink(bank.resolve(), out / "bank.npz")
        words = hosted_command(row, threads)
        # A run stopped before its end writes no results; the name is changed all the same, so
        # that nothing could ever overwrite the campaign's own.
        for option, value in (("--out", out), ("--park", copy),
                              ("--results-name", f"restore_check_{row['name']}")):
            words[words.index(option) + 1] = str(value)
        return resumes([sys.executable, *words], parked, timeout)


def run(row: dict, threads: int) -> None:
    """One campaign to its end, parking as it goes (a restart resumes from the archive)."""
    command = hosted_command(row, threads)
    print(f"running {row['arm']}, seed {row['seed']}: {shlex.join(command)}", flush=True)
    subprocess.run([sys.executable, *command], cwd=HERE.parent, check=True)


def report_restore_checks(parked: list[dict], args) -> int:
    """--check-restore over the parked rows given; 1 when any fails."""
    if not parked:
        print("no parked campaign to check")
        return 0
    failed = 0
    print("\n| campaign | restore check |\n|---|---|")
    for row in parked:
        ok, how = check_restore(row, args.threads, args.timeout)
        failed += not ok
        print(f"| `{row['name']}` | {'ok' if ok else 'FAILED'}: {how} |", flush=True)
    return 1 if failed else 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--run", action="store_true",
                        help="run the unfinished campaigns in turn (begun ones first, then by seed)")
    parser.add_argument("--check-restore", action="store_true",
                        help="resume a copy of each parked archive until it trains past its "
                             "step (nothing of the campaigns' own is touched)")
    parser.add_argument("--check-restore-of", action="append", metavar="NAME", default=[],
                        help="the same check for a parked run outside the registry (a probe): "
                             "benchmarks/parked/NAME.zip, resumed with the command "
                             "benchmarks/results/NAME.json recorded (repeatable)")
    parser.add_argument("--timeout", type=float, default=900,
                        help="--check-restore: seconds to wait for each archive (default 900)")
    parser.add_argument("--threads", type=int, default=2, help="threads per campaign")
    parser.add_argument("--arm", action="append", choices=list(NETWORKS),
                        help="only this network's campaigns (repeatable; default: all four)")
    args = parser.parse_args(argv)
    if args.check_restore_of:
        return report_restore_checks([recorded_row(n) for n in args.check_restore_of], args)
    rows = survey()
    print(status_table(rows))
    if args.check_restore:
        return report_restore_checks([r for r in rows if r["status"] == "parked"
                                      and (not args.arm or r["arm"] in args.arm)], args)
    if args.run:
        for row in to_run(rows, args.arm):
            run(row, args.threads)
        rows = survey()
        print(status_table(rows))
    else:
        for row in to_run(rows, args.arm):
            print(f"\n# {row['arm']}, seed {row['seed']}:\n.venv/bin/python "
                  + shlex.join(hosted_command(row, args.threads)))
    print("\n# the arms over the finished campaigns:\n.venv/bin/python " + arms_command(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())

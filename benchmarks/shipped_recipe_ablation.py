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
"""

from __future__ import annotations

import argparse
import json
import pathlib
import shlex
import subprocess
import sys

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


def hosted_command(row: dict, threads: int) -> list[str]:
    """The campaign's command as run here: its threads, and parked in benchmarks/parked/."""
    return [*shlex.split(row["command"]), "--threads", str(threads),
            "--park", str(PARKED.relative_to(HERE.parent) / f"{row['name']}.zip")]


def to_run(rows: list[dict], arms: list[str] | None) -> list[dict]:
    """The unfinished campaigns of `arms` (all networks when None), begun ones first, then by
    seed, so that a stopped `--run` leaves whole seeds rather than whole networks."""
    unfinished = [r for r in rows if r["status"] != "finished" and (not arms or r["arm"] in arms)]
    return sorted(unfinished, key=lambda r: (r["status"] == "not started", r["seed"]))


def run(row: dict, threads: int) -> None:
    """One campaign to its end, parking as it goes (a restart resumes from the archive)."""
    command = hosted_command(row, threads)
    print(f"running {row['arm']}, seed {row['seed']}: {shlex.join(command)}", flush=True)
    subprocess.run([sys.executable, *command], cwd=HERE.parent, check=True)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--run", action="store_true",
                        help="run the unfinished campaigns in turn (begun ones first, then by seed)")
    parser.add_argument("--threads", type=int, default=2, help="threads per campaign")
    parser.add_argument("--arm", action="append", choices=list(NETWORKS),
                        help="only this network's campaigns (repeatable; default: all four)")
    args = parser.parse_args(argv)
    rows = survey()
    print(status_table(rows))
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

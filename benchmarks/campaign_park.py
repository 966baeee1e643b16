"""Parking a campaign in the repository, so that it outlives the machine that ran it.

    .venv/bin/python benchmarks/cpu_campaign.py --out runs/X ... --park benchmarks/parked/X.zip

A campaign resumes from OUT/run/ (its checkpoint with the optimiser, and its state), but OUT is
git-ignored and a session's machine may be gone by the next one: campaigns 81 and 82 were lost
that way. With `--park ARCHIVE`, every checkpoint also writes the state a resume needs into one
zip archive, atomically (the archive is a whole checkpoint or the previous one, never a mix):

- `run/checkpoint.keras` and `run/state.json`: the model with its optimiser, step and losses;
- `evals.json`: the campaign's evaluations and its setup (the command's training settings);
- `best.weights.h5`: the best evaluation's weights, when there is one.

Committing the archive at a session's end is what makes it last. The same command on a fresh
machine restores the archive into OUT when it is further along than what OUT holds, after
checking that it was parked by the same setup; the patch bank is rendered again from its seed
(patch i of a seed is always the same patch), so the resumed run sees the batches it would have
seen. The snapshots of earlier evaluations (OUT/snapshots/, for weight averaging) are not parked.
"""

from __future__ import annotations

import json
import pathlib
import zipfile

from keras_mccnet.atomic_write import atomic_path, atomic_write

CHECKPOINT = "run/checkpoint.keras"
STATE = "run/state.json"
EVALS = "evals.json"
BEST = "best.weights.h5"
# Settings that change where, how fast or how far a campaign runs, not what it trains.
NOT_TRAINING_SETTINGS = ("park", "workers", "stop_after")


def park(out: pathlib.Path, archive: pathlib.Path, state: dict) -> None:
    """Writes OUT's resume state into `archive`; `state` is the step's state, which the training
    loop writes to OUT/run/state.json only after its checkpoint hooks have run."""
    archive.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(archive) as tmp, zipfile.ZipFile(tmp, "w") as zf:
        zf.write(out / CHECKPOINT, CHECKPOINT)
        zf.writestr(STATE, json.dumps(state), compress_type=zipfile.ZIP_DEFLATED)
        zf.write(out / EVALS, EVALS, compress_type=zipfile.ZIP_DEFLATED)
        if (out / BEST).is_file():
            zf.write(out / BEST, BEST)


def local_step(out: pathlib.Path) -> int:
    """The step OUT would resume at: -1 when it holds no complete checkpoint."""
    if not ((out / CHECKPOINT).is_file() and (out / STATE).is_file()):
        return -1
    return json.loads((out / STATE).read_text())["step"]


def parked_step(archive: pathlib.Path) -> int | None:
    """The step a parked archive resumes at; None when there is no archive."""
    if not archive.is_file():
        return None
    with zipfile.ZipFile(archive) as zf:
        return json.loads(zf.read(STATE))["step"]


def restored_line(out: pathlib.Path, archive: pathlib.Path, step: int) -> str:
    """What a campaign prints when it restored `archive` into OUT (shipped_recipe_ablation.py's
    --check-restore reads it)."""
    return f"{out}: restored from {archive} at step {step}"


def setup_differences(recorded: dict, current: dict) -> list[str]:
    """The training settings in which a recorded campaign setup and the current one differ, as
    'key: recorded -> now'. A setting only one of them has (an option added since the record was
    written) cannot be compared and is left out."""
    keys = sorted((set(recorded) & set(current)) - set(NOT_TRAINING_SETTINGS))
    return [f"{key}: {recorded[key]!r} -> {current[key]!r}" for key in keys
            if recorded[key] != current[key]]


def refuse_another_setup(recorded: dict, current: dict, made: str, remedy: str) -> None:
    """Stops (SystemExit) when what `made` names ("--park X: parked", "OUT: started") was made
    by another campaign setup than the current command's, naming the settings that differ and
    the `remedy`."""
    differences = setup_differences(recorded, current)
    if differences:
        raise SystemExit(f"{made} by another campaign setup (" + "; ".join(differences)
                         + f"); {remedy}")


def unpark(archive: pathlib.Path, out: pathlib.Path, setup: dict) -> int | None:
    """Restores `archive` into OUT when it is further along than OUT; returns the restored step,
    or None when there is nothing to restore. Refuses (SystemExit) an archive parked by another
    setup, naming the settings that differ."""
    step = parked_step(archive)
    if step is None or step <= local_step(out):
        return None
    with zipfile.ZipFile(archive) as zf:
        refuse_another_setup(json.loads(zf.read(EVALS))["setup"], setup,
                             f"--park {archive}: parked", "give this command another --park "
                             "archive, or the parked campaign's own command")
        (out / "run").mkdir(parents=True, exist_ok=True)
        # A resume needs the checkpoint and the state: the old state goes first and the new one
        # comes last, so a crash part-way through leaves no resumable mix, and the next start
        # restores the archive again.
        (out / STATE).unlink(missing_ok=True)
        members = [name for name in (EVALS, BEST, CHECKPOINT) if name in zf.namelist()]
        for name in [*members, STATE]:
            atomic_write(out / name, zf.read(name))
    return step

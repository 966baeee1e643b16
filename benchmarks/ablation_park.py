"""Parking an ablation in the repository, so that a budget longer than a session outlives it.

    .venv/bin/python benchmarks/cpu_ablation.py --out runs/X ... --park benchmarks/parked/X.zip

`cpu_ablation.py` resumes each (model, seed) run from OUT/TAG_seedS/: a finished run from its
`result.json`, an unfinished one from its checkpoint. OUT is git-ignored, and a 6400-step
ablation of three models takes more than one session's cores. With `--park ARCHIVE`, every
checkpoint and every finished run also rewrite one zip archive, atomically, holding the runs of
this command's seeds and models (one archive per process, so processes never write each
other's runs):

- every run's `evals.json`, and a finished run's `result.json` (all the table needs of it);
- an unfinished run's `checkpoint.keras` and `state.json`, the state of the step in progress
  (passed in: the training loop writes state.json only after its checkpoint hooks);
- `setup.json`: the training settings. A resume refuses an archive parked by another setup.

The same command on a fresh machine restores every run the archive holds further along than
OUT does; the patch bank is rendered again from its seed.
"""

from __future__ import annotations

import json
import pathlib
import zipfile

from campaign_park import refuse_another_setup
from keras_mccnet.atomic_write import atomic_path, atomic_write

RESULT, EVALS, CHECKPOINT, STATE = "result.json", "evals.json", "checkpoint.keras", "state.json"
SETUP = "setup.json"
FINISHED = float("inf")


def progress(run: pathlib.Path) -> float:
    """How far a run folder is: FINISHED with a result, its checkpoint's step, or -1."""
    if (run / RESULT).is_file():
        return FINISHED
    if (run / CHECKPOINT).is_file() and (run / STATE).is_file():
        return json.loads((run / STATE).read_text())["step"]
    return -1


def park(archive: pathlib.Path, runs: list[pathlib.Path], setup: dict,
         current: tuple[pathlib.Path, dict] | None = None) -> None:
    """Writes the resume state of `runs` into `archive`; `current` is (run, state) of the run
    whose checkpoint was just saved, whose state.json on disk is still the previous step's."""
    archive.parent.mkdir(parents=True, exist_ok=True)
    # JSON is deflated; the checkpoint, itself a zip, is stored as it is (deflating it again at
    # every checkpoint would cost time in the training loop and save nothing).
    with atomic_path(archive) as tmp, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(SETUP, json.dumps(setup))
        for run in runs:
            for name in (RESULT, EVALS):
                if (run / name).is_file():
                    zf.write(run / name, f"{run.name}/{name}")
            if (run / RESULT).is_file() or not (run / CHECKPOINT).is_file():
                continue
            state = current[1] if current and current[0] == run else None
            if state is None and (run / STATE).is_file():
                state = json.loads((run / STATE).read_text())
            if state is not None:
                zf.write(run / CHECKPOINT, f"{run.name}/{CHECKPOINT}", zipfile.ZIP_STORED)
                zf.writestr(f"{run.name}/{STATE}", json.dumps(state))


def parked_progress(zf: zipfile.ZipFile, names: set[str], run: str) -> float:
    """`progress` of a run folder in the archive whose member names are `names`."""
    if f"{run}/{RESULT}" in names:
        return FINISHED
    if f"{run}/{STATE}" in names:
        return json.loads(zf.read(f"{run}/{STATE}"))["step"]
    return -1


def unpark(archive: pathlib.Path, out: pathlib.Path, setup: dict) -> dict[str, float]:
    """Restores into OUT every run that `archive` holds further along than OUT; returns
    {run folder: restored progress}. Refuses (SystemExit) an archive of another setup."""
    if not archive.is_file():
        return {}
    restored = {}
    with zipfile.ZipFile(archive) as zf:
        refuse_another_setup(json.loads(zf.read(SETUP)), setup, f"--park {archive}: parked",
                             "give this command another --park archive, or the parked "
                             "ablation's own command")
        names = set(zf.namelist())
        for run in sorted({name.split("/")[0] for name in names if "/" in name}):
            step = parked_progress(zf, names, run)
            if step <= progress(out / run):
                continue
            # The old state goes first and the new one comes last, so a crash part-way through
            # leaves no resumable mix and the next start restores the run again.
            (out / run).mkdir(parents=True, exist_ok=True)
            (out / run / STATE).unlink(missing_ok=True)
            for name in [n for n in (EVALS, CHECKPOINT, STATE, RESULT) if f"{run}/{n}" in names]:
                atomic_write(out / run / name, zf.read(f"{run}/{name}"))
            restored[run] = step
    return restored

"""The README's commands, run in order as written, on tiny sizes (issue 16's done-when bar).

The commands are read from README.md itself (fenced bash blocks and indented blocks, lines
starting with `mccnet ` or `python -m export.verify`), so an edit there is tested here. Only the
sizes are made tiny, by the substitutions of `TINY` (every one listed, nothing else changes):
scene counts and sizes, training steps, tile and image sizes, fewer export variants, and
/data/dd_dp_dataset_png (DPDD cannot be downloaded here) replaced by the README's own synthetic
set in the same DPDD layout. The views of every `mccnet deblur` (the user's photo) are a rendered
scene. The README's Python snippets then run in order in one namespace, after the commands that
create what they load. Commands on ../shared/realdp run when it is present.
"""

import os
import pathlib
import re
import shlex
import shutil
import time

import pytest

REPO = pathlib.Path(__file__).resolve().parents[1]
README = REPO / "README.md"

TINY = [
    (r"--splits 400 50 50 --size 512 512", "--splits 3 3 2 --size 96 96"),
    (r"--scenes 100", "--scenes 2 --size 64 64"),
    (r"/data/dd_dp_dataset_png", "data/synth"),
    (r"--tile \d+", "--tile 64 --overlap 16"),
    (r"--quant \S+", "--quant fp32,fp16 --no-onnx"),
    (r"--threads 1,2 --runs 5 --image 1120 1680", "--threads 1 --runs 1 --image 96 128"),
    (r"^mccnet train .*", r"\g<0> --set epochs=1 --set steps_per_epoch=2 --set batch_size=2 "
                          r"--set patch_size=32 --set val_scenes=1 --set val_size=32 "
                          r"--set realdp=none --set sharp_dir=none --set warmup_steps=1 --quiet"),
    (r'"dd_dp_dataset_png"', '"data/synth"'),
    (r"workers=8, use_multiprocessing=True", "workers=1, use_multiprocessing=False"),
]


def readme_commands() -> list[str]:
    commands, fenced = [], None
    for line in README.read_text().splitlines():
        if line.startswith("```"):
            fenced = None if fenced is not None else line[3:].strip()
            continue
        text = line.strip()
        if (fenced == "bash" or (fenced is None and line.startswith("    "))) and (
                text.startswith("mccnet ") or text.startswith("python -m export.verify")):
            commands.append(re.sub(r"\s+#.*$", "", text))
    return commands


def readme_python_snippets() -> list[str]:
    snippets, block, fenced, indented = [], [], None, []
    for line in README.read_text().splitlines() + [""]:
        if line.startswith("```"):
            if fenced == "python":
                snippets.append("\n".join(block))
            fenced = None if fenced is not None else line[3:].strip()
            block = []
            continue
        if fenced == "python":
            block.append(line)
        elif fenced is None:
            stripped = line.strip()
            if indented or (line.startswith("    ") and stripped.startswith(("from ", "import "))):
                if line.startswith("    ") and stripped:
                    indented.append(stripped)
                    continue
                if indented:
                    snippets.append("\n".join(indented))
                    indented = []
    return snippets


def tiny(text: str) -> str:
    for pattern, replacement in TINY:
        text = re.sub(pattern, replacement, text)
    return text


def test_the_readme_names_every_stage_and_one_model_file():
    from keras_mccnet.cli import COMMANDS

    text = README.read_text()
    stages = re.search(r"subcommands: `(mccnet [^`]+)`", text).group(1)
    assert set(stages.replace("mccnet", "").replace("|", " ").split()) == set(COMMANDS)
    assert "best.keras" not in text  # the file nothing writes
    assert len(readme_commands()) >= 10 and readme_python_snippets()


def test_the_readme_output_folders_are_git_ignored():
    import subprocess

    if not (REPO / ".git").exists() or shutil.which("git") is None:
        pytest.skip("not a git checkout")
    for path in ("exported/m.tflite", "data/synth/x.png", "runs/eval/table.md"):
        ignored = subprocess.run(["git", "check-ignore", "-q", path], cwd=REPO)
        assert ignored.returncode == 0, f"{path} is not git-ignored"
    for path in ("keras_mccnet/data/dpdd.py", "tests/data/test_psf.py"):  # not the packages
        assert subprocess.run(["git", "check-ignore", "-q", path], cwd=REPO).returncode == 1


@pytest.mark.slow
def test_readme_commands_run_in_order_as_written(tmp_path, monkeypatch):
    import keras

    from keras_mccnet.export.verify import main as verify_main
    from keras_mccnet.cli import main

    work = tmp_path / "repo"
    work.mkdir()
    shared = REPO.parent / "shared"
    if shared.is_dir():
        (tmp_path / "shared").symlink_to(shared)  # ../shared as seen from the repository
    monkeypatch.chdir(work)
    ran = []
    for command in readme_commands():
        argv = shlex.split(tiny(command))
        if "../shared" in command and not shared.is_dir():
            continue
        if argv[:2] == ["mccnet", "web"]:  # serves until stopped: tests/web drives it in Chromium
            continue
        if argv[0] == "mccnet" and argv[1] in ("export", "bench") or argv[0] == "python":
            if keras.backend.backend() != "tensorflow":
                continue
        if argv[:2] == ["mccnet", "deblur"]:  # the user's photo: a rendered test scene
            for side, path in zip(("L", "R"), argv[2:4]):
                shutil.copy(f"data/synth/test_{side.lower()}/source/SYN_00000_{side}.png", path)
        started = time.time()
        code = main(argv[1:]) if argv[0] == "mccnet" else verify_main(argv[3:])
        assert code == 0, f"README command failed ({code}): {command}\nran as: {shlex.join(argv)}"
        ran.append((round(time.time() - started, 1), shlex.join(argv)))
    print("\n".join(f"{t:7.1f} s  {c}" for t, c in ran))  # where the walk's time goes (-s)
    assert os.path.isfile("runs/dpdd/model.keras") and os.path.isfile("photo_sharp.png")
    assert os.path.isfile("runs/eval/table.md")
    namespace = {}
    for snippet in readme_python_snippets():
        exec(compile(tiny(snippet), "README.md snippet", "exec"), namespace)  # noqa: S102
    assert namespace["sharp"].min() >= 0.0 and namespace["sharp"].max() <= 1.0

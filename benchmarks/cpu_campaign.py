"""The CPU training campaign of the shipped model: continues it, keeps the best, survives restarts.

    nohup .venv/bin/python benchmarks/cpu_campaign.py --out runs/campaign --steps 3000 &
    .venv/bin/python benchmarks/cpu_campaign.py --out runs/campaign --report   # results only

Starts from the shipped `mccnet_tiny:synthetic` weights (or `--init`; `--init scratch`: an
untrained model seeded by `--seed`, as `mccnet train` starts one), trains on a pre-rendered
bank of synthetic patches (`--lr-gain`, `--view-bits`: the generator changes that
benchmarks/sim_to_real.py measured), checkpoints every `--checkpoint-every` steps (atomic, with
the optimiser: running the same command again resumes; `--park ARCHIVE.zip` also keeps that
resume state in one archive to commit, for runs longer than a machine lasts:
benchmarks/campaign_park.py), and every `--eval-every` steps scores
the model on synthetic validation and on the four real DPDD scenes (the weights of every
evaluation go to OUT/snapshots/, for benchmarks/weight_average.py). It keeps the weights with
the best selection score, the MEAN of the two gains over input C (never the real scenes alone),
in OUT/best.weights.h5, and the step-0 score of the starting weights as the bar to beat.
`--small-blur-share`, `--contrast` and `--stem-stride` train a variant (see their help);
`--pseudo-bank` mixes pseudo-labelled real patches into the bank (benchmarks/pseudo_bank.py).
`--init-seed` and `--stop-after` probe a campaign's start: the untrained model from another seed
than the bank and batch order, and only the first steps of the long schedule (docs/campaigns.md
item 110).

`--report` writes benchmarks/results/NAME.json and NAME_curve.png from OUT/evals.json
(`--results-name`, default campaign).
Shipping is a separate, deliberate step (benchmarks/ship_weights.py) once the best beats step 0.
"""

from __future__ import annotations

import argparse
import json
import pathlib
import shlex
import sys

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import campaign_park  # noqa: E402
import cpu_training  # noqa: E402

SCRATCH = "scratch"  # --init value: no weights, a seeded initialisation
# Arguments that say where results go or how a run is hosted: not part of the recorded setup.
NOT_SETUP = ("out", "report", "threads", "results_name", "park")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", default="runs/campaign")
    parser.add_argument("--preset", default="mccnet_tiny")
    parser.add_argument("--init", default=None,
                        help=f"weights to start from (default: shipped); {SCRATCH!r}: an untrained "
                             "model seeded by --seed, its residual head at zero as `mccnet train` "
                             "starts it")
    parser.add_argument("--steps", type=int, default=3000)
    parser.add_argument("--batch", type=int, default=8)
    parser.add_argument("--patch", type=int, default=128)
    parser.add_argument("--bank", type=int, default=4000)
    parser.add_argument("--lr", type=float, default=5e-4)
    parser.add_argument("--lr-gain", type=float, default=0.0)
    parser.add_argument("--view-bits", type=int, default=16)
    parser.add_argument("--small-blur-share", type=float, default=0.0,
                        help="share of bank scenes with phone-like small blur (render_scene)")
    parser.add_argument("--shot-noise", type=float, nargs=2, default=None, metavar=("LO", "HI"),
                        help="render_scene(shot_noise_range=(LO, HI)): sensor grain")
    parser.add_argument("--palette-colors", type=int, default=0,
                        help="render_scene(palette_colors=N): dithered GIF palette per view")
    parser.add_argument("--psf-aspect", type=float, nargs=2, default=None, metavar=("LO", "HI"),
                        help="render_scene(psf_aspect_range=(LO, HI)): blur height / width")
    parser.add_argument("--disparity-to-blur", type=float, nargs=2, default=None,
                        metavar=("LO", "HI"),
                        help="render_scene(disparity_to_blur=(LO, HI)): the DP split's strength "
                             "(default psf.DISPARITY_TO_BLUR_RANGE, DPDD's)")
    parser.add_argument("--front-focus-share", type=float, default=0.0,
                        help="render_scene(front_focus_share=S): share of scenes focused on "
                             "their farthest surface (defocus in front of focus)")
    parser.add_argument("--ms-ssim-weight", type=float, default=None,
                        help="lambda of the loss Charbonnier + lambda * (1 - MS-SSIM) (default: "
                             "keras_mccnet.losses.DEFAULT_MS_SSIM_WEIGHT; docs/campaigns.md "
                             "lists the campaigns that used 0)")
    parser.add_argument("--fft-weight", type=float, default=0.0,
                        help="add this weight times keras_mccnet.losses.spectral_l1 (an L1 on "
                             "the orthonormal 2-D FFT of the error) to the loss")
    parser.add_argument("--phone-aware", action="store_true",
                        help="also score the weak-split validation scenes and keep the best "
                             "phone-aware selection (cpu_training.phone_aware_selection)")
    parser.add_argument("--contrast", action="store_true",
                        help="train MCCNet(correlation_contrast=True) (same weights, the cost "
                             "curve minus its mean fed to the fusion)")
    parser.add_argument("--stem-stride", type=int, default=1,
                        help="2: MCCNet(stem_stride=2), every level at half resolution; the "
                             "other layers start from --init, the stem and output conv anew")
    parser.add_argument("--override", action="append", default=[], metavar="KEY=JSON",
                        help="an MCCNet constructor argument for the trained model, e.g. "
                             "decoder_blocks=[1,1,2,2] or global_context=true (repeatable)")
    parser.add_argument("--grow", action="store_true",
                        help="start the --override model from --init by keras_mccnet.growth."
                             "grow (new blocks and branches start as no-ops, so step 0 scores "
                             "what --init scores); the grown start is OUT/grown_init.weights.h5")
    parser.add_argument("--train-new-only", action="store_true",
                        help="with --grow: train only the layers growing added, every other "
                             "layer frozen at --init's weights")
    parser.add_argument("--results-name", default="campaign",
                        help="results/NAME.json and NAME_curve.png (default: the first "
                             "campaign's)")
    parser.add_argument("--pseudo-bank", nargs="+", default=None, metavar="NPZ",
                        help="banks of pseudo-labelled real patches (benchmarks/pseudo_bank.py) "
                             "appended to the synthetic bank")
    parser.add_argument("--seed", type=int, default=31)
    parser.add_argument("--init-seed", type=int, default=None,
                        help="with --init scratch: draw the untrained model from this seed "
                             "instead of --seed (the bank and the data order stay --seed's), to "
                             "tell what a campaign owes its initialisation from what it owes its "
                             "data")
    parser.add_argument("--stop-after", type=int, default=None, metavar="STEP",
                        help="train only to this step, on the --steps schedule: the start of a "
                             "long campaign, scored as that campaign scores it (the same command "
                             "with a later STEP, or none, continues it)")
    parser.add_argument("--checkpoint-every", type=int, default=50)
    parser.add_argument("--eval-every", type=int, default=200)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=None,
                        help="TensorFlow threads (1: leave the other core to other work)")
    parser.add_argument("--park", type=pathlib.Path, default=None, metavar="ARCHIVE.zip",
                        help="also write every checkpoint's resume state to this archive, and "
                             "resume from it when OUT is gone or behind (commit it, e.g. "
                             "benchmarks/parked/NAME.zip; benchmarks/campaign_park.py)")
    parser.add_argument("--report", action="store_true", help="only write the results files")
    args = parser.parse_args(argv)
    out = pathlib.Path(args.out)
    if args.report:
        return report(out, args.results_name)
    if args.init_seed is not None and args.init != SCRATCH:
        raise SystemExit("--init-seed draws an untrained model: it needs --init scratch")
    setup = json.loads(json.dumps({k: v for k, v in vars(args).items() if k not in NOT_SETUP}))
    if args.park:
        restored = campaign_park.unpark(args.park, out, setup)
        if restored is not None:
            print(campaign_park.restored_line(out, args.park, restored), flush=True)
    refuse_another_setup(out, setup)
    cpu_training.limit_threads(args.threads)

    from keras_mccnet.data import PatchBank
    from keras_mccnet.pretrained import resolve

    scratch = args.init == SCRATCH
    init = None if scratch else args.init or str(resolve(args.preset, "synthetic"))
    render = {"blur_range": cpu_training.BLUR_RANGE}
    if args.lr_gain:
        render["lr_gain"] = args.lr_gain
    if args.view_bits != 16:
        render["view_bits"] = args.view_bits
    if args.small_blur_share:
        render["small_blur_share"] = args.small_blur_share
    if args.shot_noise:
        render["shot_noise_range"] = tuple(args.shot_noise)
    if args.palette_colors:
        render["palette_colors"] = args.palette_colors
    if args.psf_aspect:
        render["psf_aspect_range"] = tuple(args.psf_aspect)
    if args.disparity_to_blur:
        render["disparity_to_blur"] = tuple(args.disparity_to_blur)
    if args.front_focus_share:
        render["front_focus_share"] = args.front_focus_share
    overrides = model_overrides(setup)
    partial_init = args.stem_stride != 1  # the stem and output conv change shape
    new_layers = None
    init_seed = args.seed if args.init_seed is None else args.init_seed
    if scratch and args.grow:
        raise SystemExit("--grow grows --init's weights: give it weights, not --init scratch")
    if args.grow:
        init, new_layers = grown_start(args.preset, init, overrides, out)
    elif args.train_new_only:
        raise SystemExit("--train-new-only needs --grow (it trains the layers growing adds)")
    bank = PatchBank.cached(out / "bank.npz", args.bank, args.patch, args.seed, args.workers,
                            **render)
    for path in args.pseudo_bank or []:
        bank = bank.concatenate(pseudo_bank(path))
    synthetic, real = cpu_training.synthetic_test_set(), cpu_training.real_test_set()
    evals_path = out / "evals.json"
    log = json.loads(evals_path.read_text()) if evals_path.exists() else {
        "setup": setup,
        "init": init or SCRATCH, "render": render,
        "input_C": cpu_training.input_baseline(synthetic, real), "evals": []}
    # How far the latest command trains: a probe continued further records its new end, so the
    # results' command reproduces what they hold.
    log["setup"]["stop_after"] = args.stop_after
    weak = cpu_training.weak_split_test_set() if args.phone_aware else None
    if weak is not None and "input_weak_split_psnr" not in log:
        log["input_weak_split_psnr"] = cpu_training.input_baseline(weak, [])["synthetic_psnr"]
    key = selection_key(log)

    def keep(model, row):
        """Saves the log, the evaluated weights (OUT/snapshots/, for
        benchmarks/weight_average.py) and the best ones when `row` is the best so far."""
        if weak is not None:
            cpu_training.add_phone_aware(row, model, weak, log["input_weak_split_psnr"])
        best = max(log["evals"], key=lambda r: r[key])
        from keras_mccnet.atomic_write import atomic_path, atomic_write

        (out / "snapshots").mkdir(exist_ok=True)
        targets = [out / "snapshots" / f"step{row['step']}.weights.h5"]
        if best is row:
            targets.append(out / "best.weights.h5")
        for target in targets:
            with atomic_path(target) as tmp:
                model.save_weights(tmp)

        atomic_write(evals_path, json.dumps(log, indent=1))
        print(f"step {row['step']}: synthetic {row['synthetic_gain_db']:+.3f} dB, real "
              f"{row.get('real_gain_db', float('nan')):+.3f} dB, selection "
              f"{row['selection_db']:+.3f}"
              + (f", weak split {row['weak_split_gain_db']:+.3f} dB, phone-aware "
                 f"{row['phone_aware_selection_db']:+.3f}" if weak is not None else "")
              + f" (best at step {best['step']})", flush=True)

    out.mkdir(parents=True, exist_ok=True)
    score = cpu_training.checkpoint_scorer(synthetic, real, log["input_C"], log["evals"],
                                           args.eval_every, last=args.steps, persist=keep)

    def on_checkpoint(model, state):
        score(model, state)
        if args.park and state["step"] > 0:
            campaign_park.park(out, args.park, state)

    if not log["evals"]:  # the bar: the starting weights themselves
        import keras

        start = starting_model(args.preset, init, init_seed, overrides, partial_init)
        on_checkpoint(start, {"step": 0})
        keras.backend.clear_session()

    schedule = cpu_training.Schedule(steps=args.steps, batch=args.batch, lr=args.lr,
                                     warmup=20, min_lr_ratio=0.1,
                                     checkpoint_every=args.checkpoint_every,
                                     ms_ssim_weight=args.ms_ssim_weight,
                                     fft_weight=args.fft_weight)
    cpu_training.train(args.preset, bank, schedule, out / "run", init=init, seed=args.seed,
                       on_checkpoint=on_checkpoint, label="campaign", overrides=overrides,
                       partial_init=partial_init,
                       trainable_only=new_layers if args.train_new_only else None,
                       init_seed=init_seed, stop_after=args.stop_after)
    return report(out, args.results_name)


def recorded_setup(out: pathlib.Path) -> dict | None:
    """The setup (parsed command) OUT/evals.json records, or None before a run started there."""
    evals_path = pathlib.Path(out) / "evals.json"
    return json.loads(evals_path.read_text())["setup"] if evals_path.is_file() else None


def refuse_another_setup(out: pathlib.Path, setup: dict) -> None:
    """Stops (SystemExit) before a run in OUT is resumed by a command with other training
    settings, which would mix two campaigns in one log."""
    recorded = recorded_setup(out)
    if recorded is not None:
        campaign_park.refuse_another_setup(recorded, setup, f"{out}: started", "give this command "
                                           "another --out, or the run's own command")


def pseudo_bank(path: str):
    """The pseudo-labelled bank at `path`, or an error naming it."""
    from keras_mccnet.data.patch_bank import PatchBank

    if not pathlib.Path(path).is_file():
        raise SystemExit(f"--pseudo-bank {path}: no such file "
                         "(benchmarks/pseudo_bank.py makes one)")
    return PatchBank.load(path)


def parse_overrides(pairs: list[str]) -> dict:
    """`KEY=JSON` strings as constructor arguments (lists become tuples, as MCCNet keeps them)."""
    overrides = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep:
            raise SystemExit(f"--override {pair!r}: expected KEY=JSON, "
                             "e.g. decoder_blocks=[1,1,2,2]")
        try:
            parsed = json.loads(value)
        except json.JSONDecodeError as error:
            raise SystemExit(f"--override {pair!r}: the value is not JSON ({error})") from None
        overrides[key] = tuple(parsed) if isinstance(parsed, list) else parsed
    return overrides


def model_overrides(setup: dict) -> dict:
    """The MCCNet constructor arguments a campaign trains, from its recorded setup (its parsed
    command, as OUT/evals.json keeps it)."""
    overrides = {"correlation_contrast": True} if setup.get("contrast") else {}
    if setup.get("stem_stride", 1) != 1:
        overrides["stem_stride"] = setup["stem_stride"]
    overrides.update(parse_overrides(setup.get("override", [])))
    if setup.get("init") == SCRATCH:  # the residual head `mccnet train` starts from (zero: C)
        from keras_mccnet.training.config import TrainConfig

        overrides.setdefault("output_init_scale", TrainConfig.output_init_scale)
    return overrides


def snapshot_model(path):
    """The model a campaign evaluated, from its `OUT/snapshots/stepN.weights.h5`: the preset and
    overrides of OUT's recorded setup with those weights (errors name the file)."""
    path = pathlib.Path(path)
    setup = recorded_setup(path.parent.parent) if path.parent.name == "snapshots" else None
    if setup is None:
        raise SystemExit(f"{path}: not a campaign snapshot (expected OUT/snapshots/stepN.weights.h5"
                         " beside OUT/evals.json)")
    model = cpu_training.seeded_model(setup["preset"], 0, model_overrides(setup))
    model.load_weights(str(path))
    return model


def snapshot_or_spec_model(spec: str):
    """A campaign's evaluated weights (`OUT/snapshots/stepN.weights.h5`, built as OUT's setup
    says) or the model of any `--model` SPEC (`keras_mccnet.model_spec`)."""
    if spec.endswith(".weights.h5") and pathlib.Path(spec).is_file():
        return snapshot_model(spec)
    from keras_mccnet.model_spec import load_model

    return load_model(spec)[0]


def starting_model(preset: str, init: str | None, seed: int, overrides: dict,
                   partial_init: bool):
    """The model training starts from (step 0's row): `init`'s weights, or without `init` the
    seeded initialisation cpu_training.train draws for the same `seed`."""
    model = cpu_training.seeded_model(preset, seed, overrides)
    if init:
        model.load_weights(init, skip_mismatch=partial_init)
    return model


def grown_start(preset: str, init: str, overrides: dict, out: pathlib.Path):
    """Writes (once) the `overrides` model grown from `init`'s `preset` weights to
    OUT/grown_init.weights.h5 and its new layers to OUT/grown_layers.json; (path, new layers)."""
    target, listing = out / "grown_init.weights.h5", out / "grown_layers.json"
    if not (target.exists() and listing.exists()):
        import keras

        from keras_mccnet import MCCNet
        from keras_mccnet.atomic_write import atomic_path, atomic_write
        from keras_mccnet.growth import grow
        from keras_mccnet.presets import preset_config

        source = MCCNet(**preset_config(preset))
        source.load_weights(init)
        model = MCCNet(**{**preset_config(preset), **overrides})
        new_layers = grow(model, source)
        print(f"grown from {init}: new layers {new_layers}", flush=True)
        out.mkdir(parents=True, exist_ok=True)
        with atomic_path(target) as tmp:
            model.save_weights(tmp)
        atomic_write(listing, json.dumps(new_layers))
        keras.backend.clear_session()
    return str(target), json.loads(listing.read_text())


def report(out: pathlib.Path, name: str = "campaign") -> int:
    from keras_mccnet.atomic_write import atomic_write

    log = json.loads((out / "evals.json").read_text())
    state_path = out / "run" / "state.json"
    state = json.loads(state_path.read_text()) if state_path.exists() else {"loss": []}
    best = max(log["evals"], key=lambda r: r[selection_key(log)])
    result = {"command": command_line(log["setup"], out, name),
              **{k: log[k] for k in ("setup", "init", "render", "input_C")},
              "start": log["evals"][0], "best": best, "evals": log["evals"],
              "steps_done": len(state["loss"]), "train_seconds": state.get("seconds")}
    atomic_write(cpu_training.RESULTS / f"{name}.json", json.dumps(result, indent=1) + "\n")
    plot(log["evals"], state["loss"], cpu_training.RESULTS / f"{name}_curve.png")
    print(json.dumps({"start": {k: log["evals"][0][k] for k in ("step", "selection_db")},
                      "best": {k: best[k] for k in ("step", "synthetic_gain_db", "real_gain_db",
                                                     "selection_db", "weak_split_gain_db",
                                                     "phone_aware_selection_db") if k in best}},
                     indent=1))
    return 0


def selection_key(log: dict) -> str:
    """The evaluation field the campaign keeps its best by: the phone-aware selection when the
    campaign was run with --phone-aware (README, from campaign 20 on), else the mean of the
    synthetic and DPDD gains."""
    return "phone_aware_selection_db" if log["setup"].get("phone_aware") else "selection_db"


def command_line(setup: dict, out: pathlib.Path, name: str) -> str:
    """The command that reproduces a campaign from its recorded setup."""
    words = ["benchmarks/cpu_campaign.py", "--out", str(out)]
    for key, value in setup.items():
        flag = "--" + key.replace("_", "-")
        if value is True:
            words.append(flag)
        elif key == "override":  # repeated flag, one KEY=JSON each
            for pair in value:
                words += [flag, shlex.quote(pair)]
        elif isinstance(value, list):  # nargs=2 options: LO HI
            words += [flag, *map(str, value)]
        elif value is not None and value is not False:
            words += [flag, str(value)]
    return " ".join(words + (["--results-name", name] if name != "campaign" else []))


def plot(evals, loss, path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    fig, (a, b) = plt.subplots(1, 2, figsize=(11, 4))
    if len(loss) > 20:
        a.plot(np.convolve(loss, np.ones(20) / 20, mode="valid"))
    a.set(xlabel="step", ylabel="training loss (20-step mean)", title="campaign: training loss")
    steps = [e["step"] for e in evals]
    for key, label in (("synthetic_gain_db", "synthetic validation"),
                       ("weak_split_gain_db", "synthetic, weak DP split"),
                       ("real_gain_db", "4 real DPDD scenes"), ("selection_db", "mean (selection)"),
                       ("phone_aware_selection_db", "phone-aware selection")):
        if all(key in e for e in evals):
            b.plot(steps, [e[key] for e in evals], marker="o", label=label)
    b.set(xlabel="step", ylabel="dB over input C", title="campaign: validation gain")
    b.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)


if __name__ == "__main__":
    sys.exit(main())

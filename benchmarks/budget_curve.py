"""The best model for a CPU budget: validation gain against CPU time for several widths, depths
and patch sizes, all trained from scratch the same way.

    .venv/bin/python benchmarks/budget_curve.py --out runs/budget_curve --budget-min 10 --threads 1

Every config trains MCCNet (seed 0, the ablation's optimiser and loss) on a pre-rendered bank of
synthetic patches. Its step count is fixed so that training costs `--budget-min` minutes of the
process's own CPU time (`time.process_time`, all its threads): a short calibration times a few
steps first, so a job on the other core does not shrink anyone's budget. It is scored at a third,
two thirds and all of its budget on synthetic validation and on the four real DPDD scenes,
reported separately, against the input C (the scoring of benchmarks/cpu_training.py; scoring
time is not counted). Resumable: every config keeps a checkpoint and its plan in OUT.

Writes benchmarks/results/NAME.{json,md,png} and the README table NAME (`--name`, default
budget_curve).
"""

from __future__ import annotations

import argparse
import json
import pathlib
import sys
import time

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import cpu_training  # noqa: E402

TINY_DEEP = {"encoder_blocks": 2, "decoder_blocks": 2}
# The cost contrast is the ablation's remedy for the +0.07 dB plateau that from-scratch runs
# start on (results/cpu_ablation_800.md): with it a longer curve compares sizes, not luck.
CONTRAST = {"correlation_contrast": True}
# The residual head initialised at zero, as `mccnet train` now starts (output_init_scale): from
# it every ablation seed with cost contrast left the plateau at lr 2e-3 (cpu_ablation_1600_zero.md);
# the curve's seed 0 did not (budget_curve_80_zero.md).
ZERO = {"output_init_scale": 0.0}
CONFIGS = {  # name: (preset, constructor overrides, patch, batch, precision policy)
    "tiny p96": ("mccnet_tiny", {}, 96, 8, "float32"),
    "tiny p128": ("mccnet_tiny", {}, 128, 8, "float32"),
    "tiny p192": ("mccnet_tiny", {}, 192, 8, "float32"),
    "tiny 2+2 blocks p128": ("mccnet_tiny", TINY_DEEP, 128, 8, "float32"),
    "base p128": ("mccnet_base", {}, 128, 8, "float32"),
    "tiny+contrast p96": ("mccnet_tiny", CONTRAST, 96, 8, "float32"),
    "tiny+contrast p128": ("mccnet_tiny", CONTRAST, 128, 8, "float32"),
    "tiny+contrast p192": ("mccnet_tiny", CONTRAST, 192, 8, "float32"),
    "tiny+contrast 2+2 blocks p128": ("mccnet_tiny", {**TINY_DEEP, **CONTRAST}, 128, 8, "float32"),
    "base+contrast p128": ("mccnet_base", CONTRAST, 128, 8, "float32"),
    "tiny+zero p128": ("mccnet_tiny", ZERO, 128, 8, "float32"),
    "base+contrast+zero p128": ("mccnet_base", {**CONTRAST, **ZERO}, 128, 8, "float32"),
    # `mccnet train`'s own start for the base preset: zero head, no contrast (at lr 1e-3 the
    # contrast added nothing in the ablation, cpu_ablation_1600_lr1e3.md)
    "base+zero p128": ("mccnet_base", ZERO, 128, 8, "float32"),
}
# patch size: (bank patches, bank seed); the 96 and 128 px banks are those of the ablation and
# the campaign (a cached bank is reused when its settings match).
BANKS = {96: (1600, 0), 128: (4000, 31), 192: (1200, 0)}
CALIBRATION_STEPS = 6
EVAL_FRACTIONS = 3  # scored at 1/3, 2/3 and 3/3 of the budget
# every curve before budget_curve_45_lr1e3 trained at this rate (results files written before
# the rate was recorded in them used it)
DEFAULT_LR = 2e-3


def plan_steps(preset, overrides, bank, batch, policy, budget_s, seed):
    """Steps that cost `budget_s` CPU-seconds: the CPU time per step of a few steps after
    two compiling ones, on a throwaway copy of the model."""
    import keras

    from keras_mccnet import MCCNet
    from keras_mccnet.data import BankPyDataset
    from keras_mccnet.presets import preset_config

    keras.mixed_precision.set_global_policy(policy)
    keras.utils.set_random_seed(seed)
    model = MCCNet(**{**preset_config(preset), **overrides})
    cpu_training._compile(model, cpu_training.Schedule(steps=100, batch=batch))
    data = BankPyDataset(bank, batch, seed=seed)
    for step in range(2):
        model.train_on_batch(*data.batch_at(step))
    started = time.process_time()
    for step in range(2, 2 + CALIBRATION_STEPS):
        model.train_on_batch(*data.batch_at(step))
    per_step = (time.process_time() - started) / CALIBRATION_STEPS
    keras.backend.clear_session()
    steps = int(budget_s / per_step) // (2 * EVAL_FRACTIONS) * (2 * EVAL_FRACTIONS)
    return max(2 * EVAL_FRACTIONS, steps), per_step


def run_config(name, args, out, synthetic, real, baseline):
    from keras_mccnet.atomic_write import atomic_write
    from keras_mccnet.data import PatchBank

    preset, overrides, patch, batch, policy = CONFIGS[name]
    run = out / cpu_training.run_tag(name)
    run.mkdir(parents=True, exist_ok=True)
    count, bank_seed = BANKS[patch]
    bank = PatchBank.cached(out / f"bank_{count}_{patch}_seed{bank_seed}.npz", count, patch,
                            seed=bank_seed, workers=args.workers,
                            blur_range=cpu_training.BLUR_RANGE)
    plan_path = run / "plan.json"
    if plan_path.exists():
        plan = json.loads(plan_path.read_text())
    else:
        steps, per_step = plan_steps(preset, overrides, bank, batch, policy,
                                     args.budget_min * 60.0, args.seed)
        plan = {"config": name, "preset": preset, "overrides": overrides, "patch": patch,
                "batch": batch, "policy": policy, "budget_cpu_min": args.budget_min,
                "threads": args.threads, "calibrated_cpu_s_per_step": per_step,
                "steps": steps, "evals": []}
        atomic_write(plan_path, json.dumps(plan, indent=1))
    if "diverged" in plan:  # what a rerun would repeat
        print(f"{name}: diverged at step {plan['diverged']['step']} (recorded in {plan_path})")
        return plan
    eval_every = plan["steps"] // EVAL_FRACTIONS

    def keep(model, row):
        atomic_write(plan_path, json.dumps(plan, indent=1))
        print(f"{name} step {row['step']}/{plan['steps']}: synthetic "
              f"{row['synthetic_gain_db']:+.3f} dB, real {row.get('real_gain_db', float('nan')):+.3f} dB",
              flush=True)

    on_checkpoint = cpu_training.checkpoint_scorer(
        synthetic, real, baseline, plan["evals"], eval_every,
        extra=lambda step: {"images": step * batch,
                            "cpu_min": plan["budget_cpu_min"] * step / plan["steps"]},
        persist=keep)

    schedule = cpu_training.Schedule(steps=plan["steps"], batch=batch, lr=args.lr,
                                     warmup=args.warmup, checkpoint_every=eval_every // 2,
                                     policy=policy)
    try:
        _, state = cpu_training.train(preset, bank, schedule, run, seed=args.seed,
                                      on_checkpoint=on_checkpoint, label=name,
                                      overrides=overrides)
        plan["train_wall_s"] = state["seconds"]
    except cpu_training.TrainingDiverged as diverged:
        # a curve point of its own: the config did not survive this budget's learning rate
        print(diverged, flush=True)
        plan["diverged"] = {"step": diverged.step, "loss": str(diverged.loss)}
    atomic_write(plan_path, json.dumps(plan, indent=1))
    import keras

    keras.backend.clear_session()
    return plan


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", default="runs/budget_curve")
    parser.add_argument("--budget-min", type=float, default=10.0,
                        help="CPU-minutes of training per config")
    parser.add_argument("--configs", nargs="+", default=list(CONFIGS), choices=list(CONFIGS))
    parser.add_argument("--lr", type=float, default=DEFAULT_LR)
    parser.add_argument("--warmup", type=int, default=30)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threads", type=int, default=None)
    parser.add_argument("--workers", type=int, default=1, help="bank rendering processes")
    parser.add_argument("--report-only", action="store_true",
                        help="train nothing: report every config already in OUT")
    parser.add_argument("--name", default="budget_curve",
                        help="results/NAME.{json,md,png} and the README section NAME")
    args = parser.parse_args(argv)
    cpu_training.limit_threads(args.threads)
    out = pathlib.Path(args.out)
    synthetic, real = cpu_training.synthetic_test_set(), cpu_training.real_test_set()
    baseline = cpu_training.input_baseline(synthetic, real)
    for name in [] if args.report_only else args.configs:
        run_config(name, args, out, synthetic, real, baseline)
        # every config in OUT, also those another process trains: an interrupted or split curve
        # still reports all it has
        write_results(collected_plans(out), baseline, args)
    if args.report_only:
        write_results(collected_plans(out), baseline, args)
    return 0


def collected_plans(out: pathlib.Path) -> dict:
    """The plan of every config in OUT with at least one evaluation, with its size and cost."""
    from keras_mccnet.cost import model_cost
    from keras_mccnet.presets import preset_config

    plans = {}
    for name, (preset, overrides, *_) in CONFIGS.items():
        path = out / cpu_training.run_tag(name) / "plan.json"
        plan = json.loads(path.read_text()) if path.exists() else {"evals": []}
        if plan["evals"]:
            cost = model_cost({**preset_config(preset), **overrides}, 256, 256)
            plans[name] = {**plan, "params": cost["params"], "gmacs_256": cost["gmacs"]}
    return plans


def write_results(plans, baseline, args):
    result = {"command": "benchmarks/budget_curve.py " + " ".join(sys.argv[1:]),
              "budget_cpu_min": args.budget_min, "lr": args.lr, "input_C": baseline,
              "configs": plans}
    lines = [f"Each config: {args.budget_min:g} CPU-minutes of training from scratch "
             f"({args.threads or 'all'} thread(s)), seed {args.seed}, lr {args.lr:g}; dB over the "
             f"input C (synthetic {baseline['synthetic_psnr']:.2f} dB, real "
             f"{baseline.get('real_psnr', float('nan')):.2f} dB) at the end of the budget.", "",
             "| config | params | GMACs 256² | patch x batch | steps | images seen "
             "| synthetic gain (dB) | real gain (dB) |",
             "|---|---:|---:|---|---:|---:|---:|---:|"]
    for name, p in plans.items():
        last = p["evals"][-1]
        if "diverged" in p:
            steps = (f"diverged at step {p['diverged']['step']} of {p['steps']} (loss "
                     f"{p['diverged']['loss']}); gains at step {last['step']}")
        elif last["step"] == p["steps"]:
            steps = f"{p['steps']}"
        else:
            steps = f"{last['step']} of {p['steps']} (unfinished)"
        lines.append(f"| {name} | {p['params'] / 1e6:.3f} M | {p['gmacs_256']:.2f} | "
                     f"{p['patch']} x {p['batch']} | {steps} | {last['step'] * p['batch']} | "
                     f"{last['synthetic_gain_db']:+.2f} | {last.get('real_gain_db', float('nan')):+.2f} |")
    cpu_training.publish(args.name, result, "\n".join(lines))
    plot(plans, cpu_training.RESULTS / f"{args.name}.png")


def plot(plans, path):
    series = {name: {key: [(e["cpu_min"], e[key]) for e in p["evals"] if key in e]
                     for key, _ in cpu_training.GAIN_PANELS} for name, p in plans.items()}
    cpu_training.plot_gain_panels(series, path, "training CPU-minutes", title=(
        "MCCNet trained from scratch: validation gain per CPU budget"))


if __name__ == "__main__":
    sys.exit(main())

"""Which of the four real DPDD scenes moves the real gain of a campaign, and by how much?

    .venv/bin/python benchmarks/scene_spread.py benchmarks/results/campaign14_grain.json \\
        benchmarks/results/campaign15_lowlr.json ... --name scene_spread

The campaigns' real gain is the mean PSNR of four scenes, and picking a campaign's best
evaluation picks its noise too. This reads the campaigns' own evaluations (every 200 steps,
`benchmarks/cpu_campaign.py` results, all from ONE start) and reports per scene: the start's PSNR,
the trained evaluations' mean, spread and range, how many beat the start, and the scene's share
of the variance of the real gain (its covariance with the four-scene mean over the total
variance; the shares sum to 1). Writes benchmarks/results/NAME.{json,md,png} and the README
section `NAME`.
"""

from __future__ import annotations

import argparse
import json
import pathlib
import sys

import numpy as np

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import cpu_training  # noqa: E402


def trained_psnr(campaigns: list[dict]) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Scene names, the start's per-scene PSNR and every trained evaluation's (rows) of all
    campaigns, which must share their start."""
    starts = [c["evals"][0]["real_per_scene"] for c in campaigns]
    scenes = sorted(starts[0])
    start = np.array([starts[0][s]["psnr"] for s in scenes])
    if any(not np.allclose([st[s]["psnr"] for s in scenes], start, atol=1e-6) for st in starts):
        raise SystemExit("scene_spread: the campaigns do not share their start (step-0 scores "
                         "differ)")
    rows = [[e["real_per_scene"][s]["psnr"] for s in scenes]
            for c in campaigns for e in c["evals"] if e["step"] > 0]
    return scenes, start, np.array(rows)


def spread(scenes: list[str], start: np.ndarray, psnr: np.ndarray) -> dict:
    """Per-scene summary and each scene's share of the variance of the four-scene mean."""
    mean_of_scenes = psnr.mean(axis=1)
    total = mean_of_scenes.var(ddof=1)
    per_scene = {}
    for i, scene in enumerate(scenes):
        column = psnr[:, i]
        share = np.cov(column, mean_of_scenes)[0, 1] / len(scenes) / total
        per_scene[scene] = {"start": float(start[i]), "mean": float(column.mean()),
                            "std": float(column.std(ddof=1)), "min": float(column.min()),
                            "max": float(column.max()),
                            "above_start": int((column > start[i]).sum()),
                            "variance_share": float(share)}
    return {"evaluations": len(psnr), "real_psnr_std": float(np.sqrt(total)),
            "per_scene": per_scene}


def markdown(result: dict, labels: list[str]) -> str:
    n = result["evaluations"]
    lines = [f"Trained evaluations of {', '.join(f'`{x}`' for x in labels)} ({n} in all, every "
             f"200 steps, one shared start); real PSNR in dB, rows >= 56. Std of the four-scene "
             f"mean over these evaluations: {result['real_psnr_std']:.3f} dB.", "",
             "| scene | start | trained mean | trained std | trained min .. max | above the start "
             "| share of the real gain's variance |", "|---|---:|---:|---:|---:|---:|---:|"]
    for scene, r in result["per_scene"].items():
        lines.append(f"| {scene} | {r['start']:.2f} | {r['mean']:.2f} ({r['mean'] - r['start']:+.2f}) "
                     f"| {r['std']:.2f} | {r['min']:.2f} .. {r['max']:.2f} "
                     f"| {r['above_start']} / {n} | {r['variance_share']:.0%} |")
    return "\n".join(lines)


def plot(scenes, start, psnr, path: pathlib.Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 4))
    jitter = np.random.default_rng(0).uniform(-0.15, 0.15, len(psnr))
    for i in range(len(scenes)):
        ax.scatter(i + jitter, psnr[:, i] - start[i], s=12, alpha=0.6)
    ax.axhline(0, color="k", lw=0.8)
    ax.set_xticks(range(len(scenes)), scenes)
    ax.set(ylabel="PSNR minus the start's (dB)",
           title="Trained evaluations against their start, per real scene")
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("campaigns", nargs="+", type=pathlib.Path,
                        help="cpu_campaign.py results JSONs sharing one start")
    parser.add_argument("--name", required=True, help="results/NAME.* and README section NAME")
    args = parser.parse_args(argv)
    for path in args.campaigns:
        if not path.is_file():
            parser.error(f"no campaign results at {path}")
    campaigns = [json.loads(p.read_text()) for p in args.campaigns]
    scenes, start, psnr = trained_psnr(campaigns)
    labels = [p.stem for p in args.campaigns]
    result = {"command": " ".join(["benchmarks/scene_spread.py", *map(str, args.campaigns),
                                   "--name", args.name]),
              "campaigns": labels, **spread(scenes, start, psnr)}
    cpu_training.publish(args.name, result, markdown(result, labels))
    plot(scenes, start, psnr, cpu_training.RESULTS / f"{args.name}.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())

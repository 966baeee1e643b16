"""The DPDD scoring protocol, exactly as Restormer's dual-pixel test script computes it.

Reference: `Defocus_Deblurring/test_dual_pixel_defocus_deblur.py` and `utils.py` of
swz30/Restormer, the script behind the published DPDD tables (design.md section 3):

* images read as float32 [0, 1] (16-bit / 65535), full resolution, no crop; the network output is
  clamped to [0, 1]; NO re-quantisation to 8 or 16 bits before scoring;
* PSNR = 10 log10(1 / MSE), MSE = np.mean((gt - out) ** 2) over all pixels and channels of the
  float32 arrays, per image (100 dB when MSE is 0);
* SSIM = skimage.metrics.structural_similarity(gt, out, data_range=1) over the colour channels
  (Restormer's `multichannel=True`, i.e. `channel_axis=-1` today), default window (7x7 uniform);
* MAE = mean over channels of sklearn's mean_absolute_error per channel = np.mean(|gt - out|);
* LPIPS-Alex(gt, out, normalize=True) where the `lpips` package and its AlexNet weights are on
  disk; otherwise "unavailable" (never downloaded at run time, never estimated);
* averages over the indoor, outdoor and all scenes; the indoor scenes of the 76-scene DPDD test set
  are these 0-based indices of the sorted list (Restormer's indoor_labels.npy, 1-based there).

`score_rows_from` crops rows above N from both images before scoring; it exists for the real
scenes in ../shared/realdp whose rows 0-55 carry a burnt-in label (not part of the DPDD protocol).
"""

from __future__ import annotations

import glob
import importlib.util
import json
import math
import os

import numpy as np

DPDD_TEST_SCENES = 76
DPDD_INDOOR_INDICES = tuple([*range(8, 14), 16, 32, *range(39, 57), *range(59, 68), 74, 75])
GROUPS = ("indoor", "outdoor", "all")
METRICS = ("psnr", "ssim", "mae", "lpips")


def psnr(target: np.ndarray, output: np.ndarray) -> float:
    mse = np.mean((target - output) ** 2)
    if mse == 0:
        return 100.0
    return 10.0 * math.log10(1.0 / float(mse))


def ssim(target: np.ndarray, output: np.ndarray) -> float:
    from skimage.metrics import structural_similarity

    return float(structural_similarity(target, output, data_range=1, channel_axis=-1))


def mae(target: np.ndarray, output: np.ndarray) -> float:
    return float(np.mean([np.mean(np.abs(target[..., c] - output[..., c]))
                          for c in range(target.shape[-1])]))


def _lpips_weights_on_disk() -> str | None:
    """Why LPIPS-Alex cannot run without a download, or None when everything is on disk."""
    if importlib.util.find_spec("lpips") is None or importlib.util.find_spec("torch") is None:
        return "the lpips and torch packages are not installed"
    spec = importlib.util.find_spec("lpips")
    linear = os.path.join(os.path.dirname(spec.origin), "weights", "v0.1", "alex.pth")
    if not os.path.isfile(linear):
        return f"LPIPS linear weights not found at {linear}"
    torch_home = os.environ.get("TORCH_HOME", os.path.join(os.path.expanduser("~"), ".cache",
                                                           "torch"))
    if not glob.glob(os.path.join(torch_home, "hub", "checkpoints", "alexnet-*.pth")):
        return f"AlexNet weights not found in {torch_home}/hub/checkpoints"
    return None


class LPIPSAlex:
    """LPIPS with the AlexNet backbone when its weights are on disk; `available` says whether.

    `reason` explains an unavailable metric; `__call__` returns None then, never a guess.
    """

    def __init__(self):
        self.reason = _lpips_weights_on_disk()
        self._net = None
        if self.reason is None:
            try:
                import lpips

                self._net = lpips.LPIPS(net="alex", verbose=False).eval()
            except Exception as e:  # a broken install must not stop the other metrics
                self.reason = f"lpips failed to load: {e}"

    @property
    def available(self) -> bool:
        return self._net is not None

    def __call__(self, target: np.ndarray, output: np.ndarray) -> float | None:
        if self._net is None:
            return None
        import torch

        to = lambda a: torch.from_numpy(np.ascontiguousarray(a)).permute(2, 0, 1)[None]  # noqa
        with torch.no_grad():
            return float(self._net(to(target), to(output), normalize=True).item())


def score(target: np.ndarray, output: np.ndarray, lpips_fn=None, rows_from: int = 0) -> dict:
    """All metrics of one image pair (HxWx3 float32 in [0, 1], output already clamped)."""
    target = np.asarray(target, np.float32)[rows_from:]
    output = np.asarray(output, np.float32)[rows_from:]
    return {"psnr": psnr(target, output), "ssim": ssim(target, output), "mae": mae(target, output),
            "lpips": lpips_fn(target, output) if lpips_fn is not None else None}


def scene_kinds(root, names: list[str]) -> list[str]:
    """"indoor" / "outdoor" per scene: from `manifest.json` beside the data (its "scenes" list
    with "source" and "scene" fields, as in ../shared/realdp), else by the DPDD test index rule
    when there are exactly 76 scenes, else "unknown"."""
    manifest = os.path.join(os.fspath(root), "manifest.json")
    if os.path.isfile(manifest):
        with open(manifest) as f:
            entries = json.load(f).get("scenes", [])
        by_name = {e.get("source"): e.get("scene", "unknown") for e in entries}
        return [by_name.get(n, "unknown") for n in names]
    if len(names) == DPDD_TEST_SCENES:
        indoor = set(DPDD_INDOOR_INDICES)
        return ["indoor" if i in indoor else "outdoor" for i in range(len(names))]
    return ["unknown"] * len(names)


def manifest_rows_from(root) -> int | None:
    manifest = os.path.join(os.fspath(root), "manifest.json")
    if not os.path.isfile(manifest):
        return None
    with open(manifest) as f:
        value = json.load(f).get("score_rows_from")
    return None if value is None else int(value)


def summarise(rows: list[dict]) -> dict:
    """{method: {group: {metric: mean or None, "n": count}}} over indoor / outdoor / all."""
    out = {}
    for method in dict.fromkeys(r["method"] for r in rows):
        mine = [r for r in rows if r["method"] == method]
        groups = {}
        for group in GROUPS:
            members = mine if group == "all" else [r for r in mine if r["kind"] == group]
            if not members:
                continue
            stats = {"n": len(members)}
            for metric in METRICS:
                values = [r[metric] for r in members if r[metric] is not None]
                stats[metric] = float(np.mean(values)) if len(values) == len(members) else None
            groups[group] = stats
        out[method] = groups
    return out


def format_table(summary: dict, lpips_reason: str | None = None) -> str:
    """A Markdown table: one row per method and group."""
    lines = ["| method | scenes | n | PSNR (dB) | SSIM | MAE | LPIPS |",
             "|---|---|---|---|---|---|---|"]
    for method, groups in summary.items():
        for group, s in groups.items():
            lp = f"{s['lpips']:.4f}" if s["lpips"] is not None else "unavailable"
            lines.append(f"| {method} | {group} | {s['n']} | {s['psnr']:.2f} | {s['ssim']:.4f} "
                         f"| {s['mae']:.4f} | {lp} |")
    if lpips_reason:
        lines.append(f"\nLPIPS unavailable: {lpips_reason}.")
    return "\n".join(lines)

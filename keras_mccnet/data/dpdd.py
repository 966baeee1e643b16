"""Find DP scenes on disk and pair left, right and target views.

Three layouts are recognised (design.md section 3):

- DPDNet (the published DPDD): ``{split}_c/source/NAME.png`` (combined C),
  ``{split}_l/source/NAME_L.png``, ``{split}_r/source/NAME_R.png`` and the all-in-focus
  ``{split}_c/target/TNAME.png`` with split in {train, val, test}.
- Restormer's re-packaging: ``inputL/ inputR/ target/`` (and ``inputC/``), found in ``root``,
  ``root/<split>`` or ``root/<split>/DPDD``.
- Plain: ``L/ R/ GT/`` (and ``C/``), the layout of ``../shared/realdp/dpdd_gif4``.

Pairing rule: L, R and C share a scene name (after the ``_L`` / ``_R`` suffix is removed) and are
paired by name. Targets are named after a different frame (DPDD: frame number +-1), so, as in
DPDD itself, targets are paired with sources by sorted order when names differ; the counts must
agree, and when they do not the error names the unmatched file(s).
"""

from __future__ import annotations

import dataclasses
import os
import re

from keras_mccnet.data.image_io import (PNG_SIGNATURE, ImageReadError, check_png_complete,
                                       read_image)

IMAGE_EXTENSIONS = (".png", ".tif", ".tiff", ".jpg", ".jpeg")
SPLITS = ("train", "val", "test")


class DatasetLayoutError(ValueError):
    """A dataset folder is empty, of an unknown layout, or its views do not pair up."""


@dataclasses.dataclass(frozen=True)
class Scene:
    """One DP scene on disk: paths of its views and of its all-in-focus target.

    Attributes:
        name: scene name (the source stem, without ``_L``/``_R``).
        left, right, target: file paths.
        center: path of the combined image C, or None when the layout has none.
    """

    name: str
    left: str
    right: str
    target: str
    center: str | None = None


def _images_in(folder) -> list[str]:
    if not os.path.isdir(folder):
        raise DatasetLayoutError(f"{folder}: folder not found")
    files = sorted(
        os.path.join(folder, f)
        for f in os.listdir(folder)
        if f.lower().endswith(IMAGE_EXTENSIONS) and not f.startswith(".")
    )
    if not files:
        raise DatasetLayoutError(f"{folder}: empty folder (no {'/'.join(IMAGE_EXTENSIONS)} files)")
    return files


def _stem(path, suffix="") -> str:
    stem = os.path.splitext(os.path.basename(path))[0]
    if suffix and stem.upper().endswith(suffix.upper()):
        stem = stem[: -len(suffix)]
    return stem


def _last_number(name: str):
    numbers = re.findall(r"\d+", name)
    return int(numbers[-1]) if numbers else None


def _unmatched(longer: list[str], shorter: list[str]) -> list[str]:
    """The files of `longer` that have no partner in `shorter` (by nearest frame number)."""
    extra = len(longer) - len(shorter)
    short_nums = [_last_number(_stem(p)) for p in shorter]
    if None in short_nums or any(_last_number(_stem(p)) is None for p in longer):
        return longer[len(shorter):]  # no frame numbers: the sorted tail is unmatched

    def distance(path):
        n = _last_number(_stem(path))
        return min(abs(n - m) for m in short_nums)

    return sorted(sorted(longer, key=distance, reverse=True)[:extra])


def _pair_by_order(sources: list[str], targets: list[str], what: str) -> list[str]:
    if len(sources) != len(targets):
        longer, shorter = (targets, sources) if len(targets) > len(sources) else (sources, targets)
        names = ", ".join(_unmatched(longer, shorter))
        raise DatasetLayoutError(
            f"{what}: {len(sources)} sources but {len(targets)} targets; unmatched: {names}"
        )
    return targets


def _pair(views: dict[str, list[str]], suffixes: dict[str, str], where: str) -> list[Scene]:
    """views: role -> sorted files for roles left, right, target and optionally center."""
    by_name = {
        role: {_stem(p, suffixes.get(role, "")): p for p in files}
        for role, files in views.items()
        if role != "target"
    }
    names = sorted(by_name["left"])
    for role, files in by_name.items():
        for name in sorted(set(names) ^ set(files)):
            if name not in files:
                missing_role, present = role, by_name["left"][name]
            else:
                missing_role, present = "left", files[name]
            raise DatasetLayoutError(
                f"{where}: missing {missing_role} view for scene '{name}' (have {present})"
            )
    targets = views["target"]
    target_by_name = {_stem(p): p for p in targets}
    if set(target_by_name) == set(names):
        paired_targets = [target_by_name[n] for n in names]
    else:
        sources = [by_name["left"][n] for n in names]
        paired_targets = _pair_by_order(sources, targets, where)
    center = by_name.get("center")
    return [
        Scene(
            name=n,
            left=by_name["left"][n],
            right=by_name["right"][n],
            target=t,
            center=center[n] if center else None,
        )
        for n, t in zip(names, paired_targets)
    ]


def _dpdnet_splits(root) -> list[str]:
    return [s for s in SPLITS if os.path.isdir(os.path.join(root, f"{s}_l", "source"))]


def _find_dpdnet(root, split):
    present = _dpdnet_splits(root)
    if split is None:
        if len(present) != 1:
            raise DatasetLayoutError(
                f"{root}: DPDNet layout with splits {present}: pass split= one of them"
            )
        split = present[0]
    if split not in present:
        raise DatasetLayoutError(f"{root}: no '{split}_l/source' folder (splits here: {present})")
    views = {
        "left": _images_in(os.path.join(root, f"{split}_l", "source")),
        "right": _images_in(os.path.join(root, f"{split}_r", "source")),
        "target": _images_in(os.path.join(root, f"{split}_c", "target")),
    }
    center_dir = os.path.join(root, f"{split}_c", "source")
    if os.path.isdir(center_dir):
        views["center"] = _images_in(center_dir)
    return _pair(views, {"left": "_L", "right": "_R"}, f"{root} [{split}]")


def _find_folders(folder, names: dict[str, str]):
    views = {role: _images_in(os.path.join(folder, sub)) for role, sub in names.items()
             if role != "center" or os.path.isdir(os.path.join(folder, sub))}
    return _pair(views, {"left": "_L", "right": "_R"}, str(folder))


_RESTORMER = {"left": "inputL", "right": "inputR", "target": "target", "center": "inputC"}
_PLAIN = {"left": "L", "right": "R", "target": "GT", "center": "C"}


def _has(folder, names) -> bool:
    return all(os.path.isdir(os.path.join(folder, names[r])) for r in ("left", "right", "target"))


def detect_layout(root, split=None):
    """Return (layout, folder): layout in {"dpdnet", "restormer", "plain"}; raises otherwise."""
    if not os.path.isdir(root):
        raise DatasetLayoutError(f"{root}: dataset folder not found")
    if _dpdnet_splits(root):
        return "dpdnet", root
    candidates = [root]
    if split is not None:
        candidates += [os.path.join(root, split), os.path.join(root, split, "DPDD")]
    for folder in candidates:
        if _has(folder, _RESTORMER):
            return "restormer", folder
        if _has(folder, _PLAIN):
            return "plain", folder
    if not os.listdir(root):
        raise DatasetLayoutError(f"{root}: empty folder")
    raise DatasetLayoutError(
        f"{root}: unknown dataset layout. Expected DPDNet '{{train,val,test}}_{{c,l,r}}/source' + "
        f"'_c/target', Restormer 'inputL/ inputR/ target/' (optionally under <split>/ or "
        f"<split>/DPDD/), or plain 'L/ R/ GT/'. Found: {sorted(os.listdir(root))[:10]}"
    )


def dataset_splits(root) -> list[str]:
    """The splits ("train", "val", "test") `root` is divided into (DPDNet layout, or Restormer /
    plain trees under `<split>/`); [] for one flat folder of scenes."""
    root = os.fspath(root)
    if _dpdnet_splits(root):
        return _dpdnet_splits(root)
    if any(_has(root, names) for names in (_RESTORMER, _PLAIN)):
        return []
    return [split for split in SPLITS if any(
        _has(folder, names)
        for folder in (os.path.join(root, split), os.path.join(root, split, "DPDD"))
        for names in (_RESTORMER, _PLAIN))]


def image_size(path) -> tuple[int, int]:
    """(height, width) from a PNG header without decoding; other formats are decoded."""
    with open(path, "rb") as f:
        head = f.read(24)
    if head[:8] == PNG_SIGNATURE and head[12:16] == b"IHDR":
        return int.from_bytes(head[20:24], "big"), int.from_bytes(head[16:20], "big")
    if str(path).lower().endswith(".png"):
        raise ImageReadError(f"{path}: not a PNG file (bad signature or header)")
    return read_image(path).shape[:2]


def validate_scene(scene: Scene) -> None:
    """Check that every view of a scene is a complete image and that all have the same size."""
    paths = [("left", scene.left), ("right", scene.right), ("target", scene.target)]
    if scene.center:
        paths.append(("center", scene.center))
    sizes = {}
    for role, path in paths:
        sizes[role] = image_size(path)
        if path.lower().endswith(".png"):
            check_png_complete(path)
    if len(set(sizes.values())) != 1:
        detail = ", ".join(f"{role} {path} is {sizes[role][0]}x{sizes[role][1]}"
                           for role, path in paths)
        raise DatasetLayoutError(f"scene '{scene.name}': view sizes differ: {detail}")


def find_scenes(root, split=None, validate: bool = True) -> list[Scene]:
    """Discover and pair the DP scenes under `root`, in any supported layout.

    Args:
        root: dataset folder.
        split: "train", "val" or "test" for the DPDNet layout (required there when several splits
            exist) and for Restormer / plain trees split into sub-folders. A flat folder (L/ R/
            GT/ or inputL/ inputR/ target/ at `root`) has no splits: read it with split=None; a
            split there is an error (it would hand the same scenes to "train" and "test").
        validate: read every PNG header and tail to catch size mismatches and truncated files
            now, naming the file, instead of halfway through training (cheap: no decoding).

    Returns:
        A list of `Scene` records sorted by name.

    Raises:
        DatasetLayoutError, ImageReadError: with the offending folder or file in the message.
    """
    root = os.fspath(root)
    if split is not None and split not in SPLITS:
        raise DatasetLayoutError(f"split must be one of {SPLITS}, got {split!r}")
    layout, folder = detect_layout(root, split)
    if split is not None and layout != "dpdnet" and os.path.abspath(folder) == os.path.abspath(root):
        raise DatasetLayoutError(
            f"{root}: a flat {layout} folder of scenes with no train/val/test split, but "
            f"split={split!r} was asked; read all its scenes with split=None, or split it into "
            f"{root}/<split>/ sub-folders")
    if layout == "dpdnet":
        scenes = _find_dpdnet(folder, split)
    elif layout == "restormer":
        scenes = _find_folders(folder, _RESTORMER)
    else:
        scenes = _find_folders(folder, _PLAIN)
    if validate:
        for scene in scenes:
            validate_scene(scene)
    return scenes

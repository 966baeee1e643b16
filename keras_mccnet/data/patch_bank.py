"""Pre-rendered synthetic DP patch banks: render once in worker processes, replay every epoch.

On a 2-core CPU the renderer (about 25 patches per CPU-second at 256 px) competes with the
training step for the same cores. A bank renders N patches up front with `workers` processes,
stores them as uint16 (lossless for the renderer's 16-bit output) in one `.npz`, and
`BankPyDataset` replays them with fresh DP-consistent flips every epoch, so the training step
never waits for the renderer. Patch i of a bank is `render_patch(seed, i, ...)`: the same
patch as the on-the-fly streams give for that seed and index.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import multiprocessing
import os

import keras
import numpy as np

from keras_mccnet.data.augment import dp_flip

VIEWS = ("left", "right", "target")


def _render_one(job):
    from keras_mccnet.data.synthetic_stream import render_patch

    seed, index, size, render_kwargs = job
    return render_patch(seed, index, size, **render_kwargs)


@dataclasses.dataclass
class PatchBank:
    """N synthetic patches as uint16 arrays `left`, `right`, `target` (N x H x W x 3)."""

    left: np.ndarray
    right: np.ndarray
    target: np.ndarray
    meta: dict

    def __len__(self):
        return int(self.left.shape[0])

    @classmethod
    def render(cls, count: int, patch_size: int, seed: int = 0, workers: int = 2,
               progress: bool = True, **render_kwargs) -> "PatchBank":
        """Renders patches 0..count-1 of `seed` (render_kwargs go to `render_scene`)."""
        jobs = [(seed, i, patch_size, render_kwargs) for i in range(count)]
        if workers > 1:
            with multiprocessing.Pool(workers) as pool:
                patches = _collect(pool.imap(_render_one, jobs, chunksize=8), count, progress)
        else:
            patches = _collect(map(_render_one, jobs), count, progress)
        arrays = {name: np.stack([to_bank_grid(p[i]) for p in patches])
                  for i, name in enumerate(VIEWS)}
        return cls(**arrays, meta=_settings(count, patch_size, seed, render_kwargs))

    @classmethod
    def cached(cls, path, count: int, patch_size: int, seed: int = 0, workers: int = 2,
               **render_kwargs) -> "PatchBank":
        """The bank stored at `path` if it was rendered with these settings, else a new one."""
        path = os.fspath(path)
        if os.path.exists(path):
            bank = cls.load(path)
            if bank.meta == _settings(count, patch_size, seed, render_kwargs):
                return bank
        bank = cls.render(count, patch_size, seed, workers, **render_kwargs)
        bank.save(path)
        return bank

    def concatenate(self, other: "PatchBank") -> "PatchBank":
        """This bank's patches followed by `other`'s (same patch size), e.g. a synthetic bank
        and a pseudo-labelled real one (`keras_mccnet.data.pseudo_labels`)."""
        if self.left.shape[1:] != other.left.shape[1:]:
            raise ValueError(f"cannot concatenate banks of patches {self.left.shape[1:]} and "
                             f"{other.left.shape[1:]}: render both at one patch size")
        arrays = {name: np.concatenate([getattr(self, name), getattr(other, name)])
                  for name in VIEWS}
        return PatchBank(**arrays, meta={"parts": [self.meta, other.meta]})

    def save(self, path) -> None:
        import io

        from keras_mccnet.atomic_write import atomic_write

        os.makedirs(os.path.dirname(os.path.abspath(os.fspath(path))), exist_ok=True)
        buffer = io.BytesIO()
        np.savez(buffer, left=self.left, right=self.right, target=self.target,
                 meta=np.frombuffer(json.dumps(self.meta).encode(), np.uint8))
        atomic_write(path, buffer.getvalue())

    @classmethod
    def load(cls, path) -> "PatchBank":
        with np.load(os.fspath(path)) as data:
            meta = json.loads(bytes(data["meta"]).decode()) if "meta" in data else {}
            return cls(data["left"], data["right"], data["target"], meta)


def to_bank_grid(image: np.ndarray) -> np.ndarray:
    """Float [0, 1] as a bank stores it: uint16 (lossless for the renderer's 16-bit output)."""
    return np.round(image * 65535).astype(np.uint16)


def from_bank_grid(stored: np.ndarray) -> np.ndarray:
    """A bank's uint16 patches as float32 in [0, 1] (`to_bank_grid` undone)."""
    return stored.astype(np.float32) / 65535.0


def _settings(count, patch_size, seed, render_kwargs) -> dict:
    """A bank's identity, as stored in its `meta` (JSON round-tripped: tuples become lists)."""
    return json.loads(json.dumps({"count": count, "patch_size": patch_size, "seed": seed,
                                  "render_kwargs": render_kwargs}))


def _collect(iterator, count, progress):
    if not progress:
        return list(iterator)
    from tqdm import tqdm

    return list(tqdm(iterator, total=count, desc="rendering patch bank", unit="patch"))


class BankPyDataset(keras.utils.PyDataset):
    """Batches of a `PatchBank` with DP-consistent flips, reshuffled every epoch (any backend).

    Args:
        bank: the `PatchBank`.
        batch_size: patches per batch.
        steps_per_epoch: batches per epoch (default: one pass over the bank).
        seed: seeds the order and the flips; batch i of epoch e is a pure function of
            (seed, e, i).
    """

    def __init__(self, bank: PatchBank, batch_size: int, steps_per_epoch: int | None = None,
                 seed: int = 0, **kwargs):
        super().__init__(**kwargs)
        self.bank = bank
        self.batch_size = int(batch_size)
        self.steps_per_epoch = int(steps_per_epoch or len(bank) // self.batch_size)
        self.seed = int(seed)
        self.epoch = 0

    def __len__(self):
        return self.steps_per_epoch

    def on_epoch_end(self):
        self.epoch += 1

    def indices(self, index: int) -> np.ndarray:
        """Bank rows of batch `index` of the current epoch (a permutation per pass)."""
        n, start = len(self.bank), (self.epoch * self.steps_per_epoch + index) * self.batch_size
        return np.array([self._permutation(position // n)[position % n]
                         for position in range(start, start + self.batch_size)])

    @functools.lru_cache(maxsize=2)
    def _permutation(self, bank_pass: int) -> np.ndarray:
        return np.random.default_rng([self.seed, bank_pass]).permutation(len(self.bank))

    def batch_at(self, step: int):
        """Batch of global step `step` (epoch step // len(self)): for hand-written loops."""
        self.epoch, index = divmod(int(step), len(self))
        return self[index]

    def __getitem__(self, index):
        if index >= len(self):
            raise IndexError(index)
        rng = np.random.default_rng([self.seed, self.epoch, index, 1])
        views = {name: [] for name in VIEWS}
        for row in self.indices(index):
            flipped = dp_flip(rng, *(getattr(self.bank, name)[row] for name in VIEWS))
            for name, image in zip(VIEWS, flipped):
                views[name].append(image)
        left, right, target = (from_bank_grid(np.stack(views[name])) for name in VIEWS)
        return {"left": left, "right": right}, target

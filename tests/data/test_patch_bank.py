import numpy as np
import pytest

from keras_mccnet.data import BankPyDataset, PatchBank, render_patch


def _bank(tmp_path=None, count=3, size=24):
    return PatchBank.render(count, size, seed=5, workers=1, progress=False, sharp_source=None)


def test_bank_holds_the_streams_patches_on_the_16_bit_grid():
    bank = _bank()
    assert bank.left.shape == (3, 24, 24, 3) and bank.left.dtype == np.uint16
    for i in range(3):
        left, right, target = render_patch(5, i, 24, sharp_source=None)
        np.testing.assert_array_equal(bank.left[i], np.round(left * 65535).astype(np.uint16))
        np.testing.assert_array_equal(bank.right[i], np.round(right * 65535).astype(np.uint16))
        np.testing.assert_array_equal(bank.target[i], np.round(target * 65535).astype(np.uint16))


def test_cached_bank_round_trips_and_rerenders_on_other_settings(tmp_path):
    path = tmp_path / "sub" / "bank.npz"
    first = PatchBank.cached(path, 2, 24, seed=5, workers=1, sharp_source=None)
    again = PatchBank.cached(path, 2, 24, seed=5, workers=1, sharp_source=None)
    np.testing.assert_array_equal(first.target, again.target)
    assert again.meta == first.meta
    other = PatchBank.cached(path, 2, 24, seed=6, workers=1, sharp_source=None)
    assert other.meta["seed"] == 6 and not np.array_equal(other.target, first.target)
    assert [p.name for p in path.parent.iterdir()] == ["bank.npz"]  # no temp files left


def test_bank_batches_flip_dp_consistently_and_cover_the_bank():
    bank = _bank()
    data = BankPyDataset(bank, batch_size=3, seed=1)
    seen = set()
    for step in range(4):
        x, y = data.batch_at(step)
        assert x["left"].shape == (3, 24, 24, 3) and x["left"].dtype == np.float32
        rows = data.indices(step % len(data))
        if step == 0:
            assert sorted(rows) == [0, 1, 2]  # one pass is a permutation of the bank
        for j, row in enumerate(rows):
            seen.add(int(row))
            views = [v[row].astype(np.float32) / 65535 for v in (bank.left, bank.right,
                                                                 bank.target)]
            candidates = []
            for hflip in (False, True):
                l, r, t = views
                if hflip:  # a horizontal flip mirrors the PSFs: L and R swap
                    l, r, t = r[:, ::-1], l[:, ::-1], t[:, ::-1]
                for vflip in (False, True):
                    candidates.append((l[::-1], r[::-1], t[::-1]) if vflip else (l, r, t))
            assert any(np.array_equal(x["left"][j], l) and np.array_equal(x["right"][j], r)
                       and np.array_equal(y[j], t) for l, r, t in candidates)
    assert seen == {0, 1, 2}
    again = BankPyDataset(bank, batch_size=3, seed=1)
    np.testing.assert_array_equal(again.batch_at(2)[1], data.batch_at(2)[1])


def test_concatenated_banks_keep_both_parts_in_order_and_refuse_other_patch_sizes():
    first, second = _bank(count=2), _bank(count=3)
    both = first.concatenate(second)
    assert len(both) == 5
    np.testing.assert_array_equal(both.target[:2], first.target)
    np.testing.assert_array_equal(both.right[2:], second.right)
    assert both.meta == {"parts": [first.meta, second.meta]}
    with pytest.raises(ValueError, match="patch size"):
        first.concatenate(_bank(count=1, size=16))

import numpy as np
import pytest

from keras_mccnet.data.psf import DISPARITY_TO_BLUR, dp_kernels, signed_blur_diameter


def centroid_x(k):
    x = np.arange(k.shape[1]) - k.shape[1] // 2
    return float((k.sum(axis=0) * x).sum())


def test_thin_lens_sign_and_zero_at_focus():
    c = signed_blur_diameter(np.array([1.0, 2.0, 8.0]), 2.0, 0.05, 2.0, 2e-5)
    assert c[0] < 0 and abs(c[1]) < 1e-6 and c[2] > 0
    # Far behind focus the diameter tends to A f / (d_f - f) / pitch.
    far = signed_blur_diameter(1e9, 2.0, 0.05, 2.0, 2e-5)
    assert far == pytest.approx(0.025 * 0.05 / 1.95 / 2e-5, rel=1e-4)


@pytest.mark.parametrize("c", [6.0, 15.0, 30.0])
def test_dp_kernels_mirrored_normalised_and_calibrated(c):
    left, right = dp_kernels(c, DISPARITY_TO_BLUR)
    assert left.sum() == pytest.approx(1, abs=1e-5) and right.sum() == pytest.approx(1, abs=1e-5)
    np.testing.assert_allclose(left, right[:, ::-1])
    # Behind focus the right PSF sits to the right; disparity = ratio * |c| (within the rim AA).
    separation = centroid_x(right) - centroid_x(left)
    assert separation > 0
    assert separation == pytest.approx(DISPARITY_TO_BLUR * c, rel=0.12)
    # The sum of the two views is the full blur disk (C sees the whole aperture).
    both = left + right
    np.testing.assert_allclose(both, both[:, ::-1], atol=1e-6)


def test_kernels_swap_across_the_focal_plane():
    left, right = dp_kernels(10.0)
    left_front, right_front = dp_kernels(-10.0)
    np.testing.assert_allclose(left_front, right)
    np.testing.assert_allclose(right_front, left)
    assert dp_kernels(0.3)[0].shape == (1, 1)

import numpy as np
import pytest

from keras_mccnet.data.psf import DISPARITY_TO_BLUR, convolve, dp_kernels, signed_blur_diameter


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


def second_moments(k):
    y, x = np.mgrid[: k.shape[0], : k.shape[1]].astype(np.float64)
    y -= k.shape[0] // 2
    x -= k.shape[1] // 2
    mx = (k * x).sum()
    return float((k * (x - mx) ** 2).sum()), float((k * y ** 2).sum())


def test_aspect_makes_the_blur_taller_and_one_is_round():
    round_left, round_right = dp_kernels(12.0, DISPARITY_TO_BLUR, 0.2)
    same_left, same_right = dp_kernels(12.0, DISPARITY_TO_BLUR, 0.2, aspect=1.0)
    np.testing.assert_array_equal(same_left, round_left)
    np.testing.assert_array_equal(same_right, round_right)
    tall_left, tall_right = dp_kernels(12.0, DISPARITY_TO_BLUR, 0.2, aspect=1.5)
    assert tall_right.sum() == pytest.approx(1, abs=1e-5)
    np.testing.assert_allclose(tall_left, tall_right[:, ::-1])
    var_x, var_y = second_moments(tall_right)
    round_x, round_y = second_moments(round_right)
    assert var_x == pytest.approx(round_x, rel=0.05)  # the width and the split are unchanged
    assert var_y / round_y == pytest.approx(1.5 ** 2, rel=0.1)  # the height scales
    assert centroid_x(tall_right) - centroid_x(tall_left) == pytest.approx(
        centroid_x(round_right) - centroid_x(round_left), rel=0.05)


@pytest.mark.parametrize("border", ["constant", "reflect"])
@pytest.mark.parametrize("c", [10.0, -10.0])
def test_convolve_puts_behind_focus_content_further_right_in_r(c, border):
    # A bright vertical line: its image in each view is the PSF's column profile, so the
    # disparity of the views has the sign of c (behind focus: further right in R). filter2D
    # alone (a correlation) would reverse it.
    image = np.zeros((41, 61), np.float32)
    image[:, 30] = 1.0
    left, right = (convolve(image, k, border) for k in dp_kernels(c, DISPARITY_TO_BLUR))
    x = np.arange(61)
    shift = float((right[20] * x).sum() / right[20].sum() - (left[20] * x).sum() / left[20].sum())
    assert np.sign(shift) == np.sign(c)
    assert abs(shift) == pytest.approx(DISPARITY_TO_BLUR * abs(c), rel=0.15)
    assert right[20].sum() == pytest.approx(1.0, abs=1e-5)

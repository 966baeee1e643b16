"""The DP split axis: measured from the views, and a vertical split run transposed."""

import numpy as np
import pytest
from training_helpers import sideways_pair, textured

from keras_mccnet.dp_axis import (DpAxis, measure_dp_axis, resolve_dp_axis,
                                  transpose_views)


def rendered_pair(size=192):
    from keras_mccnet.data.synthetic import Stream, render_scene, scene_rng

    scene = render_scene(scene_rng(0, 0, Stream.BENCHMARK_VALIDATION), (size, size),
                         sharp_source=None, blur_range=(8.0, 16.0))
    return scene["left"], scene["right"]


@pytest.mark.parametrize("pair", [sideways_pair, rendered_pair])
def test_a_horizontal_split_is_measured_horizontal_and_its_transpose_vertical(pair):
    left, right = pair()
    horizontal = measure_dp_axis(left, right)
    assert horizontal.axis == "horizontal" and horizontal.measured
    assert horizontal.horizontal > horizontal.vertical
    vertical = measure_dp_axis(transpose_views(left), transpose_views(right))
    assert vertical.axis == "vertical"
    assert vertical.vertical == pytest.approx(horizontal.horizontal)


def test_views_without_disparity_stay_on_the_native_axis():
    view = textured(np.random.default_rng(1), 120, 150)
    measured = measure_dp_axis(view, view)
    assert measured.axis == "horizontal" and measured.horizontal == measured.vertical == 0.0
    unrelated = textured(np.random.default_rng(2), 120, 150)  # a shift explains nothing
    assert measure_dp_axis(view, unrelated).explained < 0.1
    tiny = view[:20, :30]  # smaller than one block plus the search: nothing to measure
    assert measure_dp_axis(tiny, tiny).axis == "horizontal"


def test_a_given_axis_is_not_measured_and_a_bad_one_is_named():
    left, right = sideways_pair()
    assert resolve_dp_axis("vertical", left, right) == DpAxis("vertical")
    assert "given" in DpAxis("vertical").describe()
    with pytest.raises(ValueError, match="auto, horizontal, vertical.*'diagonal'"):
        resolve_dp_axis("diagonal", left, right)


def test_transpose_is_its_own_inverse_and_swaps_rows_and_columns():
    image = np.arange(2 * 3 * 3, dtype=np.float32).reshape(2, 3, 3)
    flipped = transpose_views(image)
    assert flipped.shape == (3, 2, 3) and flipped[2, 1, 0] == image[1, 2, 0]
    np.testing.assert_array_equal(transpose_views(flipped), image)

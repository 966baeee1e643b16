import numpy as np
import pytest
import keras

from keras_mccnet.layers import CrossCorrelation
from model_checks import assert_config_round_trip, input_gradients


def reference_displacements(max_disp, direction, stride=1):
    """The (dy, dx) of each output channel, written out independently of the layer's own."""
    steps = range(-max_disp, max_disp + 1, stride)
    if direction == "horizontal":
        return [(0, dx) for dx in steps]
    return [(dy, dx) for dy in steps for dx in steps]


def reference_correlation(a, b, max_disp, direction, normalize, stride=1, eps=1e-6):
    """Brute force: out[n, y, x, k] = mean_c a[n, y, x, c] * b[n, y + dy, x + dx, c]."""
    a = a.astype(np.float64)
    b = b.astype(np.float64)
    if normalize:
        a = a / np.sqrt((a**2).sum(-1, keepdims=True) + eps)
        b = b / np.sqrt((b**2).sum(-1, keepdims=True) + eps)
    n, h, w, c = a.shape
    disps = reference_displacements(max_disp, direction, stride)
    out = np.zeros((n, h, w, len(disps)))
    for k, (dy, dx) in enumerate(disps):
        for y in range(h):
            for x in range(w):
                yy, xx = y + dy, x + dx
                if 0 <= yy < h and 0 <= xx < w:
                    out[:, y, x, k] = (a[:, y, x, :] * b[:, yy, xx, :]).mean(-1)
    return out


@pytest.mark.parametrize("direction", ["horizontal", "2d"])
@pytest.mark.parametrize("normalize", [True, False])
@pytest.mark.parametrize("shape,max_disp,stride", [
    ((2, 5, 7, 3), 2, 1),     # odd sizes
    ((1, 4, 3, 5), 4, 1),     # displacement larger than the image: all-zero edge channels
    ((1, 6, 9, 4), 4, 2),     # strided displacements
    ((1, 3, 5, 2), 0, 1),     # D = 0: plain per-pixel correlation
])
def test_matches_brute_force_reference(direction, normalize, shape, max_disp, stride):
    rng = np.random.default_rng(7)
    a = rng.standard_normal(shape).astype(np.float32)
    b = rng.standard_normal(shape).astype(np.float32)
    layer = CrossCorrelation(max_disp, direction=direction, normalize=normalize, stride=stride)
    got = np.asarray(layer([a, b]))
    want = reference_correlation(a, b, max_disp, direction, normalize, stride)
    assert got.shape == want.shape == tuple(layer.compute_output_shape([shape, shape]))
    np.testing.assert_allclose(got, want, atol=1e-5, rtol=1e-4)


def reference_gradients(a, b, weights, max_disp, direction):
    """Brute force, unnormalised: the gradients of sum(weights * correlation(a, b)),
    d/da(x) = sum_k w_k(x) b(x + d_k) / C and d/db(x + d_k) += w_k(x) a(x) / C."""
    n, h, w, c = a.shape
    disps = reference_displacements(max_disp, direction)
    grad_a, grad_b = np.zeros(a.shape), np.zeros(b.shape)
    for k, (dy, dx) in enumerate(disps):
        for y in range(h):
            for x in range(w):
                yy, xx = y + dy, x + dx
                if 0 <= yy < h and 0 <= xx < w:
                    grad_a[:, y, x] += weights[:, y, x, k, None] * b[:, yy, xx] / c
                    grad_b[:, yy, xx] += weights[:, y, x, k, None] * a[:, y, x] / c
    return grad_a, grad_b


@pytest.mark.parametrize("direction", ["horizontal", "2d"])
@pytest.mark.parametrize("shape,max_disp", [((2, 5, 7, 3), 2), ((1, 4, 3, 5), 4)])
def test_gradients_match_brute_force(direction, shape, max_disp):
    # What training back-propagates through the windows (they are plain slices because
    # TensorFlow's strided-slice gradient was slow): every displacement's gradient must land
    # on the pixel it was read from, and none from outside the image.
    rng = np.random.default_rng(11)
    a, b = (rng.standard_normal(shape).astype(np.float32) for _ in range(2))
    layer = CrossCorrelation(max_disp, direction=direction, normalize=False)
    weights = rng.standard_normal(
        shape[:3] + (len(layer.displacements),)).astype(np.float32)
    got = input_gradients(lambda x, y: layer([x, y]), [a, b], weights)
    for got_grad, want_grad in zip(got, reference_gradients(a, b, weights, max_disp, direction)):
        np.testing.assert_allclose(got_grad, want_grad, atol=1e-5, rtol=1e-4)


def sliced_correlation(a, b, max_disp, eps=1e-6):
    """The previous keras.ops formulation (normalisation by a channel SUM, which the TFLite
    converter fused into L2_NORMALIZATION): the layer must reproduce it on every backend."""
    from keras import ops

    def normalized(x):
        return x * ops.rsqrt(ops.sum(ops.square(x), axis=-1, keepdims=True) + eps)

    a, b = normalized(a), normalized(b)
    padded = ops.pad(b, [[0, 0], [0, 0], [max_disp, max_disp], [0, 0]])
    width = b.shape[2]
    return ops.concatenate(
        [ops.mean(a * padded[:, :, max_disp + dx:max_disp + dx + width, :], axis=-1,
                  keepdims=True) for dx in range(-max_disp, max_disp + 1)], axis=-1)


@pytest.mark.parametrize("shape,max_disp", [((2, 16, 40, 24), 4), ((1, 8, 20, 48), 4),
                                            ((1, 4, 6, 96), 3)])
def test_matches_the_previous_formulation(shape, max_disp):
    # ReLU-like features, as the encoder feeds the layer in the model.
    rng = np.random.default_rng(3)
    a = np.maximum(rng.standard_normal(shape), 0).astype(np.float32)
    b = np.maximum(rng.standard_normal(shape), 0).astype(np.float32)
    got = np.asarray(CrossCorrelation(max_disp)([a, b]))
    want = np.asarray(sliced_correlation(a, b, max_disp))
    np.testing.assert_allclose(got, want, atol=1e-5, rtol=0)


def test_converts_without_l2_normalization():
    # L2_NORMALIZATION has no XNNPACK kernel: in int8 it ran 3-13x slower than in fp32
    # (benchmarks/results/export_op_profile.json).
    if keras.backend.backend() != "tensorflow":
        pytest.skip("TFLite conversion needs the TensorFlow backend")
    import tensorflow as tf

    litert = pytest.importorskip("ai_edge_litert.interpreter")
    a, b = keras.Input((16, 24, 8), batch_size=1), keras.Input((16, 24, 8), batch_size=1)
    model = keras.Model([a, b], CrossCorrelation(4)([a, b]))
    converter = tf.lite.TFLiteConverter.from_keras_model(model)
    converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS]
    interpreter = litert.Interpreter(model_content=converter.convert())
    ops = [d["op_name"] for d in interpreter._get_ops_details()]
    assert "L2_NORMALIZATION" not in ops and "RSQRT" in ops, ops
    assert set(ops) <= {"MUL", "CONV_2D", "RSQRT", "ADD", "PAD", "SLICE", "MEAN",
                        "CONCATENATION"}, ops


def test_channel_order_puts_true_disparity_at_its_displacement():
    # b is a shifted right by 2 px: b(x + 2) = a(x), so channel (dx = +2) peaks.
    rng = np.random.default_rng(0)
    a = rng.standard_normal((1, 8, 16, 8)).astype(np.float32)
    b = np.roll(a, 2, axis=2)
    out = np.asarray(CrossCorrelation(3)([a, b]))
    layer = CrossCorrelation(3)
    assert layer.displacements[int(out[0, :, 4:12].mean((0, 1)).argmax())] == (0, 2)


def test_unknown_spatial_size_in_a_functional_model():
    a = keras.Input((None, None, 4))
    b = keras.Input((None, None, 4))
    model = keras.Model([a, b], CrossCorrelation(2)([a, b]))
    rng = np.random.default_rng(1)
    x = rng.standard_normal((1, 5, 11, 4)).astype(np.float32)
    y = rng.standard_normal((1, 5, 11, 4)).astype(np.float32)
    np.testing.assert_allclose(np.asarray(model.predict([x, y], verbose=0)),
                               reference_correlation(x, y, 2, "horizontal", True), atol=1e-5)


def test_config_round_trip():
    layer = CrossCorrelation(4, direction="2d", normalize=False, stride=2, name="corr_s1")
    clone = assert_config_round_trip(layer)
    assert clone.displacements == layer.displacements
    assert len(layer.displacements) == 25  # (2 * 4 / 2 + 1)^2


@pytest.mark.parametrize("kwargs,match", [
    (dict(max_displacement=-1), "max_displacement"),
    (dict(max_displacement=2.5), "max_displacement"),
    (dict(max_displacement=3, direction="vertical"), "direction"),
    (dict(max_displacement=3, stride=2), "stride"),
])
def test_bad_arguments_are_named(kwargs, match):
    with pytest.raises(ValueError, match=match):
        CrossCorrelation(**kwargs)


def test_mismatched_inputs_are_refused():
    with pytest.raises(ValueError, match="differ in shape"):
        CrossCorrelation(2)([np.zeros((1, 4, 6, 3), "float32"), np.zeros((1, 4, 7, 3), "float32")])

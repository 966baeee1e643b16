"""The model converts to TFLite with builtin ops only and matches Keras in float32, at a fixed
size and at any size (`from_keras_model` on the any-size model, as users convert it)."""

import numpy as np
import pytest
import keras

if keras.backend.backend() != "tensorflow":
    pytest.skip("TFLite conversion needs the TensorFlow backend", allow_module_level=True)

import tensorflow as tf  # noqa: E402

from keras_mccnet import MCCNet  # noqa: E402
from keras_mccnet.mccnet import ARCHITECTURES  # noqa: E402
from model_checks import MICRO, random_views  # noqa: E402

# Not multiples of the stride (4 for MICRO) and not square: the in-graph padding must run.
ODD_SIZES = ((13, 22), (32, 48), (41, 30))


def _convert_builtins_only(model):
    converter = tf.lite.TFLiteConverter.from_keras_model(model)
    # Builtins only: conversion fails if any op would need Flex/Select TF ops.
    converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS]
    return converter.convert()


def _ops(interpreter):
    return {d["op_name"] for d in interpreter._get_ops_details()}


@pytest.mark.parametrize("architecture", ["mccnet", "concat"])
def test_builtin_only_tflite_matches_keras(architecture, tmp_path):
    litert = pytest.importorskip("ai_edge_litert.interpreter")
    h, w = 32, 48
    model = MCCNet(architecture=architecture, image_size=(h, w), **MICRO)
    interpreter = litert.Interpreter(model_content=_convert_builtins_only(model))
    runner = interpreter.get_signature_runner()
    views = random_views(np.random.default_rng(0), h=h, w=w)
    got = list(runner(**views).values())[0]
    np.testing.assert_allclose(got, np.asarray(model(views)), atol=1e-4)
    ops = _ops(interpreter)
    assert not any(o.startswith("Flex") or o == "CUSTOM" for o in ops), ops
    assert "MIRROR_PAD" not in ops, "a fixed tile that is a multiple of the stride needs no pad"


def test_global_context_branch_converts_with_builtins(tmp_path):
    litert = pytest.importorskip("ai_edge_litert.interpreter")
    h, w = 32, 48
    keras.utils.set_random_seed(3)
    model = MCCNet(global_context=True, image_size=(h, w), **MICRO)
    offset = model.get_layer("ctx_offset")  # starts at zero: make the branch matter
    offset.set_weights([np.full(v.shape, 0.3, "float32") for v in offset.weights])
    interpreter = litert.Interpreter(model_content=_convert_builtins_only(model))
    views = random_views(np.random.default_rng(0), h=h, w=w)
    got = list(interpreter.get_signature_runner()(**views).values())[0]
    np.testing.assert_allclose(got, np.asarray(model(views)), atol=1e-4)
    ops = _ops(interpreter)
    assert "MEAN" in ops and not any(o.startswith("Flex") or o == "CUSTOM" for o in ops), ops


@pytest.mark.parametrize("option", ["correlation_contrast", "correlation_center"])
def test_cost_volume_options_convert_with_builtins(option, tmp_path):
    """Models trained with these options (the centring layer's channel mean) ship as well."""
    litert = pytest.importorskip("ai_edge_litert.interpreter")
    h, w = 32, 48
    model = MCCNet(image_size=(h, w), **{option: True}, **MICRO)
    interpreter = litert.Interpreter(model_content=_convert_builtins_only(model))
    views = random_views(np.random.default_rng(4), h=h, w=w)
    got = list(interpreter.get_signature_runner()(**views).values())[0]
    np.testing.assert_allclose(got, np.asarray(model(views)), atol=1e-4)
    ops = _ops(interpreter)
    assert not any(o.startswith("Flex") or o == "CUSTOM" for o in ops), ops


@pytest.mark.parametrize("architecture,stem_stride",
                         [(a, 1) for a in ARCHITECTURES] + [("mccnet", 2)])
def test_any_size_model_converts_with_builtins_and_matches_keras_at_odd_sizes(architecture,
                                                                              stem_stride):
    # The in-graph mirror padding used to drop the static channel count, so the first
    # convolution became a Flex op and builtins-only conversion failed.
    litert = pytest.importorskip("ai_edge_litert.interpreter")
    keras.utils.set_random_seed(1)
    model = MCCNet(architecture=architecture, stem_stride=stem_stride, **MICRO)
    interpreter = litert.Interpreter(model_content=_convert_builtins_only(model))
    runner = interpreter.get_signature_runner()
    signature = runner.get_input_details()["left"]["shape_signature"]
    assert list(signature) == [-1, -1, -1, 3]
    for h, w in ODD_SIZES:
        views = random_views(np.random.default_rng(h), h=h, w=w)
        got = list(runner(**views).values())[0]
        assert got.shape == (1, h, w, 3)
        np.testing.assert_allclose(got, np.asarray(model(views)), atol=1e-4)
    assert "MIRROR_PAD" in _ops(interpreter)

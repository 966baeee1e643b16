"""The model converts to TFLite with builtin ops only and matches Keras in float32."""

import numpy as np
import pytest
import keras

if keras.backend.backend() != "tensorflow":
    pytest.skip("TFLite conversion needs the TensorFlow backend", allow_module_level=True)

import tensorflow as tf  # noqa: E402

from keras_mccnet import MCCNet  # noqa: E402
from model_checks import MICRO, random_views  # noqa: E402


@pytest.mark.parametrize("architecture", ["mccnet", "concat"])
def test_builtin_only_tflite_matches_keras(architecture, tmp_path):
    litert = pytest.importorskip("ai_edge_litert.interpreter")
    h, w = 32, 48
    model = MCCNet(architecture=architecture, image_size=(h, w), **MICRO)
    converter = tf.lite.TFLiteConverter.from_keras_model(model)
    # Builtins only: conversion fails if any op would need Flex/Select TF ops.
    converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS]
    flatbuffer = converter.convert()
    interpreter = litert.Interpreter(model_content=flatbuffer)
    runner = interpreter.get_signature_runner()
    views = random_views(np.random.default_rng(0), h=h, w=w)
    got = list(runner(**views).values())[0]
    np.testing.assert_allclose(got, np.asarray(model(views)), atol=1e-4)
    ops = {d["op_name"] for d in interpreter._get_ops_details()}
    assert not any(o.startswith("Flex") or o == "CUSTOM" for o in ops), ops

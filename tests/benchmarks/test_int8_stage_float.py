"""Stages of the int8 stage sweep (benchmarks/int8_stage_float.py): every tensor of a stage is
found by its Keras layer prefix, and nothing else is."""

import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))

import int8_stage_float  # noqa: E402


def test_stage_nodes_groups_tensors_by_their_layer_prefix():
    names = ["mccnet_tiny_1/siamese_encoder_1/enc_s0_entry_1/Relu;mccnet_tiny_1/x",
             "mccnet_tiny_1/siamese_encoder_1/enc_s1_block0_1/conv1_1/Relu",
             "mccnet_tiny_1/corr_s3_1/Mean_4",
             "mccnet_tiny_1/dec_s0_1/add",
             "mccnet_tiny_1/corr_s1_1/add;mccnet_tiny_1/dec_s2_1/conv",
             "mccnet_tiny_1/fuse_s2_conv_1/Relu", "mccnet_tiny_1/msf_to_s0_1/resize",
             "mccnet_tiny_1/out_conv_1/BiasAdd", "mccnet_tiny_1/conv_other", "input_left"]
    stages = int8_stage_float.stage_nodes(names)
    assert list(stages) == ["corr_s1", "corr_s3", "dec_s0", "enc_s0", "enc_s1", "fuse_s2", "msf",
                            "out_conv"]
    assert stages["enc_s0"] == [names[0]]
    assert stages["corr_s1"] == [names[4]]  # a fused op counts for its first stage only
    assert all(n not in sum(stages.values(), []) for n in names[8:])


def test_stage_prefix_needs_a_layer_boundary():
    # "decoder_s0" or "xenc_s1" are not stage layers
    assert int8_stage_float.stage_nodes(["m/decoder_s0/a", "m/xenc_s1/b"]) == {}


def test_markdown_reports_what_each_stage_recovers():
    result = {"model": "mccnet_tiny:synthetic", "tile": 256, "default_drop_db": 0.30,
              "base_groups": ["normalization", "output"],
              "rows": [{"float": "enc_s0", "nodes": 8, "synthetic_drop_db": 0.27}]}
    text = int8_stage_float.markdown(result)
    assert "| enc_s0 | 8 | +0.270 | +0.030 |" in text
    assert "the groups normalization, output in float" in text

from keras_mccnet.cli import main
from keras_mccnet.cost import model_cost
from keras_mccnet.presets import preset_config
from model_checks import MICRO


def test_macs_of_a_single_level_concat_net_by_hand():
    # One level, no blocks: entry conv 6->8 (3x3), out conv 8->3 (3x3), nothing else.
    cost = model_cost(dict(architecture="concat", widths=(8,), encoder_blocks=0,
                           decoder_blocks=0), 10, 12)
    pixels = 10 * 12
    assert cost["macs"] == pixels * 9 * 6 * 8 + pixels * 9 * 8 * 3
    assert cost["params"] == (9 * 6 * 8 + 8) + (9 * 8 * 3 + 3)


def _encoder_macs(in_channels, size=32):
    """One pass of the MICRO encoder: entry conv + one residual block per level."""
    macs, cin = 0, in_channels
    for level, width in enumerate(MICRO["widths"]):
        pixels = (size // 2**level) ** 2
        macs += pixels * 9 * cin * width + 2 * pixels * 9 * width * width
        cin = width
    return macs


def test_siamese_encoder_is_counted_once_per_view():
    siamese = model_cost(dict(architecture="siamese_no_corr", **MICRO), 32, 32)
    concat = model_cost(dict(architecture="concat", **MICRO), 32, 32)
    # The nets differ only in the encoder (two 3-channel passes vs one 6-channel pass) and in
    # the siamese net's 1x1 fuse convs (2w -> w at each level).
    fuse = sum((32 // 2**k) ** 2 * 2 * w * w for k, w in enumerate(MICRO["widths"]))
    assert siamese["macs"] - concat["macs"] == 2 * _encoder_macs(3) - _encoder_macs(6) + fuse


def test_macs_scale_with_pixels():
    small = model_cost(preset_config("mccnet_tiny"), 64, 64)["macs"]
    large = model_cost(preset_config("mccnet_tiny"), 128, 128)["macs"]
    assert large == 4 * small


def test_info_command_prints_a_table(capsys):
    assert main(["info", "--preset", "mccnet_tiny", "--size", "64", "96"]) == 0
    out = capsys.readouterr().out
    assert "mccnet_tiny" in out and "64x96" in out

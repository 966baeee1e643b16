"""MCCNet: dual-pixel defocus deblurring with explicit multi-scale cross-correlation."""

from __future__ import annotations

import math
import warnings

import keras

from keras_mccnet import io_spec
from keras_mccnet.layers import (BilinearUpsample, ChannelCentering, CropToReference,
                                 CrossCorrelation, PadToMultiple, ResidualBlock)

ARCHITECTURES = ("mccnet", "concat", "siamese_no_corr", "single_view")
SIAMESE = ("mccnet", "siamese_no_corr")  # one encoder instance over both views


def default_max_displacements(num_levels: int, coverage: int = 32, per_level: int = 4):
    """Per-level search range D_k = min(per_level, ceil(coverage / 2^k)).

    Level k runs at 1/2^k resolution, so D_k covers D_k * 2^k full-resolution pixels; the default
    reaches +-32 px at the coarsest levels (design.md: real DPDD disparities are a few px, rarely
    ~24 px at full width) while finer levels resolve the small shifts precisely.
    """
    return tuple(min(per_level, math.ceil(coverage / 2**k)) for k in range(num_levels))


def _per_level(value, num_levels: int, name: str) -> tuple[int, ...]:
    values = (value,) * num_levels if isinstance(value, int) else tuple(value)
    if len(values) != num_levels or any(int(v) != v or v < 0 for v in values):
        raise ValueError(f"{name} must be an int >= 0 or {num_levels} of them "
                         f"(one per level of widths), got {value!r}")
    return tuple(int(v) for v in values)


def _resize_to_level(x, from_level: int, to_level: int, name: str):
    """Moves a feature map between pyramid levels (level k is 1/2^k resolution)."""
    if to_level > from_level:
        size = 2 ** (to_level - from_level)
        return keras.layers.AveragePooling2D(size, name=name)(x)
    if to_level < from_level:
        size = 2 ** (from_level - to_level)
        return BilinearUpsample(size, name=name)(x)
    return x


def build_encoder(in_channels, widths, blocks, activation, name, spatial=(None, None),
                  stem_stride=1):
    """The encoder: level 0 at full resolution (1 / `stem_stride` of it behind a strided stem),
    every next level halves it with a strided conv.

    Returns a functional model mapping an image to its per-level features. MCCNet calls one
    instance on both views, so the two branches share weights by construction.
    """
    image = keras.Input((*spatial, in_channels), name=f"{name}_input")
    x, features = image, []
    for level, (width, num_blocks) in enumerate(zip(widths, blocks)):
        stride = stem_stride if level == 0 else 2
        # A strided stem sees a (2 x stride)^2 window, overlapping its neighbours': the DP
        # shifts are sub-pixel on the coarser grid. Every other entry is a 3x3 conv.
        kernel = 2 * stride if level == 0 and stride > 1 else 3
        x = keras.layers.Conv2D(width, kernel, strides=stride, padding="same",
                                activation=activation, name=f"enc_s{level}_entry")(x)
        for b in range(num_blocks):
            x = ResidualBlock(width, activation, name=f"enc_s{level}_block{b}")(x)
        features.append(x)
    return keras.Model(image, features, name=name)


def apply_encoder(left, right, center, architecture, widths, blocks, activation, pad,
                  spatial, stem_stride=1):
    """Stage 1, the encoder: per-level features of each stream.

    Siamese architectures run one encoder instance on both views (weights shared by
    construction) and return (left features, right features); "concat" encodes the 6-channel
    [L, R] stack and "single_view" the mean view C, returning (features, None).
    """
    if architecture in SIAMESE:
        encoder = build_encoder(io_spec.CHANNELS, widths, blocks, activation, "siamese_encoder",
                                spatial, stem_stride)
        return _as_list(encoder(pad(left, "left"))), _as_list(encoder(pad(right, "right")))
    stacked = (keras.layers.Concatenate(name="stack_lr")([left, right])
               if architecture == "concat" else center)
    encoder = build_encoder(stacked.shape[-1], widths, blocks, activation, "encoder", spatial,
                            stem_stride)
    return _as_list(encoder(pad(stacked, "input"))), None


def apply_correlation_fusion(feats_left, feats_right, widths, max_displacements, direction,
                             normalize, evidence_channels, activation, correlate, center=False,
                             contrast=False):
    """Stage 2, correlation and fusion: the decoder's skip at every level, the embedded L/R cost
    volume of every level, and the raw cost volumes (the defocus head reads them; both lists
    empty without `correlate`).

    A skip fuses [fL, fR] (plus the cost volume when correlating) with a 1x1 conv. Single-stream
    architectures (feats_right None) use the encoder features as skips directly. With `center`
    the cost volume correlates channel-centred features (ZNCC with `normalize`). With `contrast`
    the fusion sees each pixel's cost curve minus its mean over the displacements (the raw
    volumes still go to the defocus head).
    """
    if feats_right is None:
        return list(feats_left), [], []
    skips, evidence, costs = [], [], []
    for k, (f_left, f_right) in enumerate(zip(feats_left, feats_right)):
        parts = [f_left, f_right]
        if correlate:
            views = parts if not center else [
                ChannelCentering(name=f"corr_s{k}_center_{side}")(f)
                for side, f in zip(("left", "right"), parts)]
            corr = CrossCorrelation(max_displacements[k], direction, normalize,
                                    name=f"corr_s{k}")(views)
            if normalize:
                # mean over channels of unit vectors is cosine / C: rescale to [-1, 1].
                corr = keras.layers.Rescaling(float(widths[k]), name=f"corr_s{k}_cos")(corr)
            costs.append(corr)
            if contrast:
                # Cosines of ReLU features sit near 1 at every displacement: subtracting their
                # mean leaves the shape of the cost curve (where it peaks), and a textureless,
                # uninformative volume feeds zeros instead of a large constant.
                corr = ChannelCentering(name=f"corr_s{k}_contrast")(corr)
            parts.append(corr)
            evidence.append(keras.layers.Conv2D(
                evidence_channels, 1, activation=activation, name=f"corr_s{k}_embed")(corr))
        skips.append(keras.layers.Conv2D(
            widths[k], 1, activation=activation, name=f"fuse_s{k}_conv")(
                keras.layers.Concatenate(name=f"fuse_s{k}_concat")(parts)))
    return skips, evidence, costs


def apply_multiscale_evidence(evidence, fusion_level, fusion_channels, activation):
    """Stage 3, multi-scale evidence: every level's cost-volume embedding resized to
    `fusion_level` and fused by one 3x3 conv; None when there is no evidence."""
    if not evidence:
        return None
    at_fusion = [_resize_to_level(e, k, fusion_level, f"msf_from_s{k}")
                 for k, e in enumerate(evidence)]
    fused = at_fusion[0] if len(at_fusion) == 1 else \
        keras.layers.Concatenate(name="msf_concat")(at_fusion)
    return keras.layers.Conv2D(fusion_channels, 3, padding="same", activation=activation,
                               name="msf_conv")(fused)


def apply_global_context(fused, fusion_channels, activation):
    """Optional stage 3b: the fused evidence plus a per-image offset computed from its mean
    over the whole image (a squeeze-and-excitation style branch).

    One window cannot tell a small blur on a strong DP split from a large blur on a weak one
    (README, "split gain"); the image-wide statistics of the evidence can. The last conv starts
    at zero, so adding the branch to trained weights leaves their output unchanged
    (keras_mccnet.growth). Lowers to TFLite MEAN, CONV_2D and a broadcast ADD.
    """
    pooled = keras.layers.GlobalAveragePooling2D(keepdims=True, name="ctx_pool")(fused)
    hidden = keras.layers.Conv2D(fusion_channels, 1, activation=activation,
                                 name="ctx_hidden")(pooled)
    offset = keras.layers.Conv2D(fusion_channels, 1, kernel_initializer="zeros",
                                 name="ctx_offset")(hidden)
    return keras.layers.Add(name="ctx_add")([fused, offset])


def apply_decoder(skips, fused, fusion_level, widths, blocks, activation, upsample):
    """Stage 4, the U-Net decoder, coarsest level first: upsample, merge with the level's skip
    and the fused evidence (resized to the level), then residual blocks."""
    x = None
    for j in reversed(range(len(widths))):
        parts = [skips[j]]
        if x is not None:
            parts.insert(0, _upsample(x, widths[j], activation, upsample, f"dec_s{j}"))
        if fused is not None:
            parts.append(_resize_to_level(fused, fusion_level, j, f"msf_to_s{j}"))
        x = parts[0]
        if len(parts) > 1:
            x = keras.layers.Concatenate(name=f"dec_s{j}_concat")(parts)
            x = keras.layers.Conv2D(widths[j], 1, activation=activation,
                                    name=f"dec_s{j}_merge")(x)
        for b in range(blocks[j]):
            x = ResidualBlock(widths[j], activation, name=f"dec_s{j}_block{b}")(x)
    return x


def apply_output(x, center, reference, output_init_scale, stem_stride=1):
    """The residual head: a 3x3 conv to RGB (a transposed conv back to full resolution behind
    a strided stem), cropped back to the input size, added to C."""
    # A near-zero output layer starts the net close to the identity (C = (L + R) / 2), so
    # training begins at the input's quality instead of at a random residual. Scale 0 starts it
    # exactly there: the body then never has to shut a harmful random residual off (from
    # scratch, the full-resolution decoder merge died doing that: README, "Why correlation
    # sometimes never starts").
    init = ("zeros" if output_init_scale == 0 else
            keras.initializers.VarianceScaling(output_init_scale))
    if stem_stride == 1:
        residual = keras.layers.Conv2D(io_spec.CHANNELS, 3, padding="same", name="out_conv",
                                       kernel_initializer=init)(x)
    else:
        residual = keras.layers.Conv2DTranspose(io_spec.CHANNELS, 2 * stem_stride,
                                                strides=stem_stride, padding="same",
                                                name="out_conv", kernel_initializer=init)(x)
    residual = CropToReference(name="crop")([residual, reference])
    return keras.layers.Add(name=io_spec.OUTPUT_NAME, dtype="float32")([center, residual])


def _upsample(x, width, activation, mode, prefix):
    if mode == "bilinear":
        x = BilinearUpsample(2, name=f"{prefix}_upsample")(x)
        return keras.layers.Conv2D(width, 3, padding="same", activation=activation,
                                   name=f"{prefix}_upconv")(x)
    return keras.layers.Conv2DTranspose(width, 2, strides=2, activation=activation,
                                        name=f"{prefix}_upconv")(x)


def _as_list(features):
    # A one-level encoder returns a tensor, not a list.
    return list(features) if isinstance(features, (list, tuple)) else [features]


@keras.saving.register_keras_serializable(package="keras_mccnet")
class MCCNet(keras.Model):
    """MCCNet: a Siamese encoder over the two dual-pixel views, an explicit L/R cost volume at
    every encoder level, multi-scale fusion of that disparity evidence, and a U-Net decoder.

    Inputs `left` and `right`: float32 NHWC in [0, 1], any height and width (padded internally to
    a multiple of 2^(levels-1) and cropped back). Output `deblurred`: the all-in-focus image,
    predicted as a residual over (left + right) / 2, not clamped (clamp at inference).

    The same class builds the ablation baselines (`architecture`):
    "mccnet" (the method), "siamese_no_corr" (shared encoder, skips fuse [fL, fR], no cost
    volume), "concat" (DPDNet-style: one encoder over the 6-channel [L, R] stack) and
    "single_view" (one encoder over C = (L + R) / 2 only).

    Args:
        architecture: one of "mccnet", "siamese_no_corr", "concat", "single_view".
        widths: channels per encoder level, finest first; len(widths) levels, total stride
            2^(len - 1). Default (32, 64, 128, 256).
        encoder_blocks: residual blocks per encoder level (int or one per level). Default 1.
        decoder_blocks: residual blocks per decoder level (int or one per level). Default 1.
        max_displacements: correlation search range D_k per level in that level's pixels;
            None = `default_max_displacements` (about +-32 px of full-resolution coverage).
        correlation_direction: "horizontal" (DP disparity lies along the DP split) or "2d".
        correlation_normalize: L2-normalise features before correlating (cosine similarity).
        correlation_center: subtract each pixel's channel mean from the features before the
            cost volume (with normalisation: zero-normalised cross-correlation). Default False
            (the shipped weights were trained without it).
        correlation_contrast: feed the fusion each pixel's cost curve minus its mean over the
            displacements (the curve's shape, not its level). Default False (the shipped
            weights were trained without it).
        evidence_channels: channels of each level's embedded cost volume for the fusion.
        fusion_channels: channels of the fused multi-scale disparity evidence.
        fusion_level: pyramid level at which the evidence of all levels is fused (default: the
            middle level); the fused evidence is then resized to, and fed into, every decoder level.
        activation: activation of all hidden convolutions.
        upsample: "bilinear" (resize + 3x3 conv, no checkerboard artefacts) or "transpose".
        pad_mode: "symmetric" or "constant" padding of inputs that are not a multiple of the stride.
        output_init_scale: variance scale of the output conv's initial kernel; small values
            start training near the identity (the mean of the views), 0 exactly at it.
        image_size: optional static (height, width) of the inputs (fixed-shape export, cost
            counting); None accepts any size.
        defocus_head: add the second output `defocus` (keras_mccnet.defocus): the signed
            defocus disparity in input pixels, read from the cost volumes ("mccnet" with
            horizontal correlation only). Off by default; the deblurred output is the same
            either way.
        stem_stride: 1, or 2 to run level 0 at half resolution behind a strided 4x4 stem conv,
            with a transposed conv back to full resolution at the output (no full-resolution
            features: about a quarter of the MACs and activation memory, for int8 phone
            latency; benchmarks/results/model_cost.md). Pads inputs to twice the multiple; not
            with `defocus_head`.
        global_context: add a branch that offsets the fused evidence by a function of its mean
            over the whole image (`apply_global_context`), so the decoder can read image-wide
            statistics such as the strength of the DP split ("mccnet" only). Starts at zero.
            Default False (the shipped weights were trained without it).
        name: model name.

    Example:
        >>> model = MCCNet.from_preset("mccnet_tiny")
        >>> sharp = model.predict({"left": left, "right": right})

    Reference: K. Swami, "Adjust Your Focus: Defocus Deblurring From Dual-Pixel Images Using
    Explicit Multi-Scale Cross-Correlation", CVIP 2023, arXiv 2502.11002. Layer-level details
    are this project's design (see README, "Architecture").
    """

    def __init__(self, architecture="mccnet", widths=(32, 64, 128, 256), encoder_blocks=1,
                 decoder_blocks=1, max_displacements=None, correlation_direction="horizontal",
                 correlation_normalize=True, correlation_center=False,
                 correlation_contrast=False, evidence_channels=16,
                 fusion_channels=32, fusion_level=None, activation="relu", upsample="bilinear",
                 pad_mode="symmetric", output_init_scale=1e-2, image_size=None, name="mccnet",
                 defocus_head=False, stem_stride=1, global_context=False, **kwargs):
        args = _checked_arguments(architecture, widths, encoder_blocks, decoder_blocks,
                                  max_displacements, fusion_level, upsample, image_size)
        widths, encoder_blocks, decoder_blocks, max_displacements, fusion_level, image_size = args
        if defocus_head and (architecture != "mccnet" or correlation_direction != "horizontal"):
            raise ValueError("defocus_head needs architecture='mccnet' with horizontal "
                             f"correlation, got {architecture!r} / {correlation_direction!r}")
        if output_init_scale < 0:
            raise ValueError(f"output_init_scale must be >= 0, got {output_init_scale!r}")
        if stem_stride not in (1, 2):
            raise ValueError(f"stem_stride must be 1 or 2, got {stem_stride!r}")
        if defocus_head and stem_stride != 1:
            raise ValueError("defocus_head needs stem_stride=1 (its readout assumes a "
                             f"full-resolution level 0), got stem_stride={stem_stride}")
        if global_context and architecture != "mccnet":
            raise ValueError("global_context needs architecture='mccnet' (it pools the "
                             f"correlation evidence), got {architecture!r}")
        # Both options change the cost volume; a baseline without one would silently ignore them
        # and record a configuration it never trained.
        for option, value in (("correlation_center", correlation_center),
                              ("correlation_contrast", correlation_contrast)):
            if value and architecture != "mccnet":
                raise ValueError(f"{option} needs architecture='mccnet' (it changes the cost "
                                 f"volume), got {architecture!r}")
        multiple = 2 ** (len(widths) - 1) * stem_stride

        # === Functional model ===
        height, width = image_size if image_size is not None else (None, None)
        shape = (height, width, io_spec.CHANNELS)
        left = keras.Input(shape, name=io_spec.INPUT_NAMES[0])
        right = keras.Input(shape, name=io_spec.INPUT_NAMES[1])
        # float32 even under a mixed_* policy: the residual base and the output keep full
        # precision (bfloat16 would quantise [0, 1] images to ~1/256 steps).
        center = keras.layers.Average(name="center", dtype="float32")([left, right])
        pad = lambda x, n: PadToMultiple(multiple, pad_mode, name=f"pad_{n}")(x)  # noqa: E731
        # A static image size gives the encoder static shapes too (exact cost counting, export).
        padded = (None, None) if image_size is None else tuple(
            s + (-s) % multiple for s in image_size)
        feats_left, feats_right = apply_encoder(left, right, center, architecture, widths,
                                                encoder_blocks, activation, pad, padded,
                                                stem_stride)
        skips, evidence, costs = apply_correlation_fusion(
            feats_left, feats_right, widths, max_displacements, correlation_direction,
            correlation_normalize, evidence_channels, activation,
            correlate=architecture == "mccnet", center=correlation_center,
            contrast=correlation_contrast)
        fused = apply_multiscale_evidence(evidence, fusion_level, fusion_channels, activation)
        if global_context:
            fused = apply_global_context(fused, fusion_channels, activation)
        x = apply_decoder(skips, fused, fusion_level, widths, decoder_blocks, activation,
                          upsample)
        output = apply_output(x, center, left, output_init_scale, stem_stride)
        outputs = output
        if defocus_head:
            from keras_mccnet.defocus import apply_defocus_head

            defocus = apply_defocus_head(costs, fused, fusion_level, max_displacements,
                                         (left, right), multiple, pad_mode, _resize_to_level,
                                         activation=activation)
            outputs = {io_spec.OUTPUT_NAME: output, io_spec.DEFOCUS_OUTPUT_NAME: defocus}
        super().__init__(inputs={"left": left, "right": right}, outputs=outputs, name=name,
                         **kwargs)

        # === Config ===
        self.architecture = architecture
        self.widths = widths
        self.encoder_blocks = encoder_blocks
        self.decoder_blocks = decoder_blocks
        self.max_displacements = max_displacements
        self.correlation_direction = correlation_direction
        self.correlation_normalize = bool(correlation_normalize)
        self.correlation_center = bool(correlation_center)
        self.correlation_contrast = bool(correlation_contrast)
        self.evidence_channels = int(evidence_channels)
        self.fusion_channels = int(fusion_channels)
        self.fusion_level = int(fusion_level)
        self.activation = activation
        self.upsample = upsample
        self.pad_mode = pad_mode
        self.output_init_scale = float(output_init_scale)
        self.image_size = image_size
        self.defocus_head = bool(defocus_head)
        self.stem_stride = int(stem_stride)
        self.global_context = bool(global_context)

    @property
    def stride(self) -> int:
        """Total downsampling factor; inputs are padded internally to a multiple of it."""
        return 2 ** (len(self.widths) - 1) * self.stem_stride

    def __call__(self, inputs, *args, **kwargs):
        # Before Keras' own input-spec check, so users get errors in DP terms.
        _check_views(inputs)
        return super().__call__(inputs, *args, **kwargs)

    def call(self, inputs, training=None, mask=None):
        # The JAX trainer's stateless calls (fit, predict) enter here, not through __call__.
        _check_views(inputs)
        return super().call(inputs, training=training, mask=mask)

    def get_config(self):
        config = super().get_config()
        config.update({
            "architecture": self.architecture,
            "widths": list(self.widths),
            "encoder_blocks": list(self.encoder_blocks),
            "decoder_blocks": list(self.decoder_blocks),
            "max_displacements": list(self.max_displacements),
            "correlation_direction": self.correlation_direction,
            "correlation_normalize": self.correlation_normalize,
            "correlation_center": self.correlation_center,
            "correlation_contrast": self.correlation_contrast,
            "evidence_channels": self.evidence_channels,
            "fusion_channels": self.fusion_channels,
            "fusion_level": self.fusion_level,
            "activation": self.activation,
            "upsample": self.upsample,
            "pad_mode": self.pad_mode,
            "output_init_scale": self.output_init_scale,
            "image_size": list(self.image_size) if self.image_size else None,
            "defocus_head": self.defocus_head,
            "stem_stride": self.stem_stride,
            "global_context": self.global_context,
        })
        return config

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    @classmethod
    def from_preset(cls, preset: str, weights: str | None = None, **overrides):
        """Builds a named configuration (see `keras_mccnet.presets.PRESETS`).

        Args:
            preset: the preset name.
            weights: the name of shipped weights (see `keras_mccnet.pretrained.available()`,
                e.g. "synthetic" for mccnet_tiny), checked against their SHA-256 first; None
                builds an UNTRAINED (randomly initialised) model and warns so.
                With `defocus_head=True`, the defocus head shipped for those weights too.
            **overrides: single constructor arguments, e.g. `image_size=(512, 512)`.
        """
        from keras_mccnet.presets import preset_config
        from keras_mccnet.pretrained import available, resolve

        config = {**preset_config(preset), **overrides}  # an unknown preset fails first
        path = None
        if weights is not None:
            path = resolve(preset, weights)
        else:
            shipped = [w.name for w in available(preset)]
            hint = (f"pass weights={shipped[0]!r} for the shipped ones" if shipped else
                    "no weights are shipped for it; train it (`mccnet train`) or load a "
                    ".keras file")
            warnings.warn(f"MCCNet.from_preset({preset!r}) without weights: the model is "
                          f"UNTRAINED (random initialisation); {hint}", UserWarning, stacklevel=2)
        model = cls(**config)
        if path is not None and model.defocus_head:
            from keras_mccnet.defocus import load_pretrained

            load_pretrained(model, preset, weights, path)  # backbone + its shipped head
        elif path is not None:
            model.load_weights(path)
        return model


def _check_views(inputs):
    """Clear errors for malformed inputs, before they fail deep inside the graph."""
    if isinstance(inputs, dict):
        missing = [n for n in io_spec.INPUT_NAMES if n not in inputs]
        if missing:
            raise ValueError(f"MCCNet inputs must be a dict with keys {io_spec.INPUT_NAMES}; "
                             f"missing {missing}, got keys {sorted(inputs)}")
        views = [inputs[n] for n in io_spec.INPUT_NAMES]
    elif isinstance(inputs, (list, tuple)) and len(inputs) == 2:
        views = list(inputs)
    else:
        raise ValueError("MCCNet expects {'left': L, 'right': R} or [L, R], "
                         f"got {type(inputs).__name__}")
    shapes = [tuple(v.shape) for v in views]
    for name, shape in zip(io_spec.INPUT_NAMES, shapes):
        if len(shape) != 4:
            raise ValueError(f"'{name}' must be a batch of NHWC images (rank 4), got shape {shape}")
        if shape[-1] is not None and shape[-1] != io_spec.CHANNELS:
            raise ValueError(f"'{name}' must have {io_spec.CHANNELS} channels (RGB, NHWC), "
                             f"got shape {shape}")
    if any(a is not None and b is not None and a != b for a, b in zip(*shapes)):
        raise ValueError(f"left and right views must have the same shape, got {shapes[0]} "
                         f"and {shapes[1]}")


def _checked_arguments(architecture, widths, encoder_blocks, decoder_blocks, max_displacements,
                       fusion_level, upsample, image_size):
    """The constructor's arguments validated and normalised to per-level tuples."""
    if architecture not in ARCHITECTURES:
        raise ValueError(f"architecture must be one of {ARCHITECTURES}, got {architecture!r}")
    widths = tuple(int(w) for w in widths)
    levels = len(widths)
    if levels < 1 or min(widths) < 1:
        raise ValueError(f"widths must be one or more positive ints, got {widths!r}")
    encoder_blocks = _per_level(encoder_blocks, levels, "encoder_blocks")
    decoder_blocks = _per_level(decoder_blocks, levels, "decoder_blocks")
    if max_displacements is None:
        max_displacements = default_max_displacements(levels)
    max_displacements = _per_level(max_displacements, levels, "max_displacements")
    if fusion_level is None:
        fusion_level = levels // 2
    if not 0 <= fusion_level < levels:
        raise ValueError(f"fusion_level must be in [0, {levels}), got {fusion_level!r}")
    if upsample not in ("bilinear", "transpose"):
        raise ValueError(f"upsample must be 'bilinear' or 'transpose', got {upsample!r}")
    if image_size is not None:
        image_size = tuple(int(s) for s in image_size)
        if len(image_size) != 2 or min(image_size) < 1:
            raise ValueError(f"image_size must be (height, width), got {image_size!r}")
    return widths, encoder_blocks, decoder_blocks, max_displacements, fusion_level, image_size

"""Thin entry points for training, evaluation, deblurring and the demo (`mccnet train|eval|
deblur|demo`). The reusable pieces live in `keras_mccnet`; these modules wire them together."""

"""The training application layer: training, evaluation, deblurring and the demo (`mccnet train|
eval|deblur|demo`), wired from the library's pieces. The library never imports it
(tests/test_layering.py); the repository's top-level `training/` holds thin entry points to it."""

"""Export of MCCNet to phones and other runtimes: TFLite (fp32, fp16, dynamic-range int8, full
int8), ONNX, the metadata JSON beside every model, parity verification and benchmarks.

Modules: `tflite`, `onnx`, `metadata`, `runtime` (run an exported model, also tiled), `verify`,
`benchmark`, `analyze` (GPU-delegate compatibility), `samples` (calibration / evaluation tiles),
`loading` (preset, .keras file or run folder -> model), `cli` (`mccnet export`).
"""

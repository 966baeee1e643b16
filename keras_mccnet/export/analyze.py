"""Per-op GPU-delegate compatibility and builtin check of a TFLite model, from the TFLite analyzer.

`tf.lite.experimental.Analyzer.analyze(..., gpu_compatibility=True)` prints a text report: one
line per op ("  Op#3 CONV_2D(T#1, ...) -> [T#9]"), followed by a line
"GPU COMPATIBILITY WARNING: <reason>" for each op the GPU delegate cannot run. We capture and
parse it; the format is marked experimental, so the parser fails loudly if it finds no ops.
"""

from __future__ import annotations

import collections
import contextlib
import io
import re

_OP_LINE = re.compile(r"^\s+Op#(\d+) (\w+)\(")
_WARNING = "GPU COMPATIBILITY WARNING:"


def analyzer_report(flatbuffer: bytes) -> str:
    """The analyzer's text report with the GPU compatibility check."""
    import tensorflow as tf

    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        tf.lite.experimental.Analyzer.analyze(model_content=bytes(flatbuffer),
                                              gpu_compatibility=True)
    return buffer.getvalue()


def parse_report(report: str) -> dict:
    """{"ops": [{"index", "op", "gpu_compatible", "reason"}], "gpu_compatible": bool,
    "incompatible": {op name: [reasons]}, "op_counts": {op name: count}}."""
    ops, last = [], None
    for line in report.splitlines():
        match = _OP_LINE.match(line)
        if match:
            last = {"index": int(match.group(1)), "op": match.group(2), "gpu_compatible": True,
                    "reason": None}
            ops.append(last)
        elif line.startswith(_WARNING) and last is not None and "Subgraph#" not in line:
            last["gpu_compatible"] = False
            last["reason"] = line[len(_WARNING):].strip()
    if not ops:
        raise RuntimeError("TFLite analyzer report lists no ops; its format may have changed")
    incompatible = collections.defaultdict(list)
    for op in ops:
        if not op["gpu_compatible"] and op["reason"] not in incompatible[op["op"]]:
            incompatible[op["op"]].append(op["reason"])
    return {
        "ops": ops,
        "gpu_compatible": not incompatible and "looks compatible with GPU delegate" in report,
        "incompatible": dict(incompatible),
        "op_counts": dict(collections.Counter(op["op"] for op in ops)),
    }


def gpu_compatibility(flatbuffer: bytes) -> dict:
    """Parsed GPU-delegate compatibility of every op of a model (see `parse_report`)."""
    return parse_report(analyzer_report(flatbuffer))

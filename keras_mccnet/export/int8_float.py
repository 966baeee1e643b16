"""Which ops of a full-int8 model stay in float: found by graph structure, not by tensor names.

`benchmarks/int8_quality.py` (QuantizationDebugger per-layer errors, then float fallback per op
group, `benchmarks/results/int8_quality.json`) traced the int8 PSNR loss of MCCNet to the cost
volume's L2 normalisation `x * rsqrt(sum_c x^2 + eps)`: in int8 the sum of squares has a step of
~0.5-1.5 (its range reaches 140-370), so a feature vector of small norm gets a garbage or clipped
1/norm, and its "unit" vector is wrong. Keeping that chain in float (the squares, their 1x1
channel-sum convolution, RSQRT, and the MUL by it) removes most of the loss; the final ADD
(C + residual) in float removes the output's own int8 step on top. Its two operands in float
as well (the centre view C = (L + R) / 2 and the residual head's last convolution: three ops)
cut what default #17's weights still lost by a fifth (`benchmarks/int8_stage_float.py`: the
rest is spread thinly over every stage). Default #18's weights lost 0.37 dB with those, and the
sweep found the loss in one place this time, the full-resolution decoder: no single op of it
helps alone, only its last residual block and the convolution that feeds it together (the
activations handed from one to the next, requantised at every step): group "decoder_tail".
Everything else stays int8.

Groups (`GROUPS`), selected in the calibrated float model (`converter._experimental_calibrate_only`):

* "normalization": for every RSQRT, the ops producing its input back to the squaring MUL, the
  RSQRT itself and the MULs that consume it;
* "output": the ops that write the model's outputs (the final ADD of C + residual);
* "output_operands": the ops that compute that ADD's operands: the residual head's last
  CONV_2D, and the elementwise ops from the model inputs to C;
* "decoder_tail": the residual block that feeds the residual head's CONV_2D (its ADD and the
  CONV_2Ds of its branch) and the CONV_2D that feeds the block (the decoder's skip merge).
"""

from __future__ import annotations

GROUPS = ("normalization", "output", "output_operands", "decoder_tail")
DEFAULT_GROUPS = ("normalization", "output", "output_operands", "decoder_tail")
"""What `mccnet export --quant int8` keeps in float unless told otherwise (--int8-float)."""


class _Graph:
    """Ops of a TFLite flatbuffer with producer/consumer links by tensor index."""

    def __init__(self, flatbuffer):
        from keras_mccnet.export.tflite import interpreter_for

        interpreter = interpreter_for(flatbuffer, delegates=False)
        self.ops = interpreter._get_ops_details()  # noqa: SLF001 (op list: no public API)
        self.tensors = {t["index"]: t for t in interpreter.get_tensor_details()}
        self.outputs = [d["index"] for d in interpreter.get_output_details()]
        self.producer = {t: op for op in self.ops for t in op["outputs"]}
        self.consumers = {}
        for op in self.ops:
            for t in op["inputs"]:
                self.consumers.setdefault(t, []).append(op)

    def name(self, op) -> str:
        return self.tensors[op["outputs"][0]]["name"]

    def input_ops(self, op):
        return [self.producer[t] for t in op["inputs"] if t in self.producer]


def normalization_ops(graph: _Graph) -> list:
    """x * rsqrt(conv1x1(x * x) + eps) around every RSQRT: [MUL(x, x), CONV_2D, RSQRT, MUL]."""
    chosen = []
    for rsqrt in (op for op in graph.ops if op["op_name"] == "RSQRT"):
        chain = [rsqrt]
        op = rsqrt
        while True:  # back through the channel sum (CONV_2D, maybe an ADD of eps) to x * x
            ins = [o for o in graph.input_ops(op) if o["op_name"] in ("CONV_2D", "ADD", "MUL")]
            if len(ins) != 1:
                break
            op = ins[0]
            chain.append(op)
            if op["op_name"] == "MUL":
                break
        chain += [c for c in graph.consumers.get(rsqrt["outputs"][0], [])
                  if c["op_name"] == "MUL"]
        chosen += chain
    return chosen


def output_ops(graph: _Graph) -> list:
    return [graph.producer[t] for t in graph.outputs if t in graph.producer]


def output_operand_ops(graph: _Graph) -> list:
    """The residual head's CONV_2D and the centre view's ADD/MUL chain from the model inputs,
    for every output that is an ADD (the deblurred image; not a defocus output)."""
    chosen = []
    for add in (op for op in output_ops(graph) if op["op_name"] == "ADD"):
        for operand in graph.input_ops(add):
            if operand["op_name"] == "CONV_2D":
                chosen.append(operand)
            else:
                chosen += _elementwise_chain_to_inputs(graph, operand)
    return chosen


def _elementwise_chain_to_inputs(graph: _Graph, op) -> list:
    """`op` and every op above it if all are ADD or MUL (C = (L + R) * 0.5 reads only the model
    inputs and constants); [] if anything else is on the way."""
    chain, todo = [], [op]
    while todo:
        op = todo.pop()
        if op["op_name"] not in ("ADD", "MUL"):
            return []
        chain.append(op)
        todo += graph.input_ops(op)
    return chain


def decoder_tail_ops(graph: _Graph) -> list:
    """For the residual head's CONV_2D (an operand of an output ADD): the residual block under
    it, x + conv(conv(x)) (the ADD and its branch's CONV_2Ds), and the CONV_2D that made x.
    [] where the head does not read such a block."""
    chosen = []
    heads = [op for add in output_ops(graph) if add["op_name"] == "ADD"
             for op in graph.input_ops(add) if op["op_name"] == "CONV_2D"]
    for head in heads:
        ins = graph.input_ops(head)
        if len(ins) != 1 or ins[0]["op_name"] != "ADD":
            continue
        block = ins[0]
        operands = graph.input_ops(block)
        if len(operands) != 2:
            continue
        a, b = operands
        branch = _conv_chain_down_to(graph, a, b) or _conv_chain_down_to(graph, b, a)
        if branch:
            chosen += [block, *branch[:-1]]
            if branch[-1]["op_name"] == "CONV_2D":
                chosen.append(branch[-1])
    return chosen


def _conv_chain_down_to(graph: _Graph, op, stop) -> list:
    """[op, ..., stop] if `op` reaches `stop` through CONV_2Ds that each read one tensor made by
    an op (a residual branch back to the block's input); [] otherwise."""
    chain = []
    while op is not stop:
        ins = graph.input_ops(op)
        if op["op_name"] != "CONV_2D" or len(ins) != 1:
            return []
        chain.append(op)
        op = ins[0]
    return chain + [stop] if chain else []


SELECTORS = {"normalization": normalization_ops, "output": output_ops,
             "output_operands": output_operand_ops, "decoder_tail": decoder_tail_ops}


def float_nodes(calibrated: bytes, groups=DEFAULT_GROUPS) -> list[str]:
    """Output tensor names (the quantizer's `denylisted_nodes`) of the ops of `groups`, found
    in the calibrated model; sorted, no duplicates."""
    bad = [g for g in groups if g not in SELECTORS]
    if bad:
        raise ValueError(f"int8 float groups must be among {GROUPS}, got {bad}")
    graph = _Graph(calibrated)
    return sorted({graph.name(op) for g in groups for op in SELECTORS[g](graph)})


def float_op_names(flatbuffer) -> list[str]:
    """Output tensor names of the ops that compute in float32 in a (partly) quantised model,
    QUANTIZE/DEQUANTIZE excluded: what a float fallback actually kept in float."""
    import numpy as np

    graph = _Graph(flatbuffer)
    return sorted(graph.name(op) for op in graph.ops
                  if op["op_name"] not in ("QUANTIZE", "DEQUANTIZE")
                  and graph.tensors[op["outputs"][0]]["dtype"] == np.float32)

"""Where the int8 export default still loses PSNR: each stage of the network kept in float on top
of the default's float groups, one stage at a time.

    .venv/bin/python benchmarks/int8_stage_float.py

`int8_quality.py` found the cost volume's L2 normalisation to be the big loss of full int8 and
the export default kept it and the output ADD in float (`--base-groups`, the default of this
sweep: the export default until #17, whose remaining loss it located, the ADD's operands, the
`center` and `out_conv` rows; with `--base-groups normalization,output,output_operands` it
located #18's in the full-resolution decoder, `dec_s0`: the export default now keeps the
operands and that decoder's last block in float, `keras_mccnet.export.int8_float`). What that still loses is
measured here, stage by stage: the shipped `mccnet_tiny` is calibrated once on 32 rendered
tiles (as `mccnet export --quant int8`), then quantised again with one more stage's ops in
float (the encoder, correlation, decoder and decoder-fusion stages at each scale, the
multi-scale fusion, the centre view and the residual head, found by their Keras layer names in
the calibrated graph), and every variant is scored on the 12 synthetic validation
tiles of `int8_quality.py` (PSNR drop against Keras). A stage whose float copy recovers most of
the drop is where the loss sits; a drop spread thinly over many stages is int8 rounding
everywhere, which no single float fallback removes.

Writes benchmarks/results/int8_stage_float.{json,md}.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
sys.path.insert(0, HERE)

# the Keras layer prefixes of MCCNet's parts: encoder, correlation, decoder and decoder fusion
# at each scale, the multi-scale fusion, the centre view C = (L + R) / 2 and the residual head
STAGE = re.compile(r"(?:^|/)((?:enc|corr|dec|fuse)_s\d|msf|center|out_conv)")


def stage_nodes(names) -> dict[str, list[str]]:
    """{stage: its tensor names}, a stage being one of `STAGE`'s Keras layer prefixes found in
    the names (the first one in a fused op's name)."""
    stages: dict[str, list[str]] = {}
    for name in names:
        found = STAGE.search(name)
        if found:
            stages.setdefault(found.group(1), []).append(name)
    return dict(sorted(stages.items()))


def markdown(result) -> str:
    rows = [f"| {r['float']} | {r['nodes']} | {r['synthetic_drop_db']:+.3f} | "
            f"{result['default_drop_db'] - r['synthetic_drop_db']:+.3f} |"
            for r in result["rows"]]
    return ("PSNR drop of the int8 export against Keras on the 12 synthetic validation tiles "
            f"(`{result['model']}`, tile {result['tile']}), one more stage in float on top of "
            f"the groups {', '.join(result['base_groups'])} in float.\n\n"
            "| also in float | tensors | synthetic drop dB | recovered dB |\n"
            "|---|---:|---:|---:|\n" + "\n".join(rows) + "\n")


def main(argv=None) -> int:
    import int8_quality

    from keras_mccnet.atomic_write import atomic_write
    from keras_mccnet.export import tflite
    from keras_mccnet.export.int8_float import GROUPS, _Graph, float_nodes
    from keras_mccnet.export.samples import synthetic_tiles
    from keras_mccnet.export.verify import keras_outputs
    from keras_mccnet.model_spec import load_model

    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default="mccnet_tiny:synthetic")
    parser.add_argument("--tile", type=int, default=256)
    parser.add_argument("--base-groups", default="normalization,output",
                        help=f"int8_float groups kept in float in every row, among {GROUPS}")
    parser.add_argument("--out", default=os.path.join(HERE, "results", "int8_stage_float.json"))
    args = parser.parse_args(argv)

    start = time.time()
    model, _ = load_model(args.model)
    convert = int8_quality.Converter(model, args.tile,
                                     int8_quality.calibration_sets(args.tile, {"synthetic32"}))
    calibrated = convert.calibrated("synthetic32")
    base_groups = tuple(g for g in args.base_groups.split(",") if g)
    base = float_nodes(calibrated, base_groups)
    graph = _Graph(calibrated)
    stages = stage_nodes(graph.name(op) for op in graph.ops)
    synthetic = list(synthetic_tiles(12, args.tile, seed=1000))  # int8_quality's scoring tiles
    reference = keras_outputs(model, synthetic)

    def drop(extra):
        flatbuffer = tflite.quantize_calibrated(calibrated,
                                                float_nodes=sorted(set(base) | set(extra)))
        row = int8_quality.evaluate("int8_stage", flatbuffer, model, args.tile, 64, synthetic,
                                    {"synthetic": reference, "real": []}, [], lambda _: None)
        return row["synthetic"]["psnr_drop"]

    result = {"command": "benchmarks/int8_stage_float.py " + " ".join(argv or sys.argv[1:]),
              "model": args.model, "tile": args.tile, "base_groups": list(base_groups),
              "default_drop_db": drop([]), "rows": []}
    result["rows"].append({"float": "nothing more (the base groups)", "nodes": 0,
                           "synthetic_drop_db": result["default_drop_db"]})
    for stage, names in stages.items():
        result["rows"].append({"float": stage, "nodes": len(names),
                               "synthetic_drop_db": drop(names)})
        print(f"[{time.time() - start:5.0f} s] {stage}: drop "
              f"{result['rows'][-1]['synthetic_drop_db']:+.3f} dB", flush=True)
    every = [n for names in stages.values() for n in names]
    result["rows"].append({"float": "every stage above", "nodes": len(every),
                           "synthetic_drop_db": drop(every)})
    result["seconds"] = time.time() - start
    atomic_write(args.out, json.dumps(result, indent=1) + "\n")
    atomic_write(os.path.splitext(args.out)[0] + ".md", markdown(result))
    print(markdown(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The `mccnet` console command: one subcommand per pipeline stage.

Each subcommand lives in its own module exposing `add_arguments(parser)` and `run(args) -> int`;
the module is imported only when its subcommand runs, so `mccnet info` does not pay for the
export stack and `mccnet synth` does not import TensorFlow.
"""

from __future__ import annotations

import argparse
import importlib
import sys

# name -> (module, one-line help). Add a line here to add a stage.
COMMANDS = {
    "info": ("keras_mccnet.commands.info", "parameters, MACs and activation memory of a model"),
    "export": ("keras_mccnet.commands.export", "TFLite (fp32/fp16/dynamic/int8) and ONNX export"),
    "bench": ("keras_mccnet.commands.bench", "latency of exported models through LiteRT"),
    "synth": ("keras_mccnet.commands.synth", "write a synthetic dual-pixel dataset (DPDD layout)"),
    "train": ("keras_mccnet.commands.train", "train MCCNet; a run directory resumes"),
    "eval": ("keras_mccnet.commands.eval", "score a model with the DPDD protocol"),
    "deblur": ("keras_mccnet.commands.deblur", "deblur a dual-pixel photo (LEFT RIGHT -o OUT)"),
    "demo": ("keras_mccnet.commands.demo", "the README's main job, end to end, into one folder"),
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mccnet",
        description="MCCNet dual-pixel defocus deblurring: synth, train, eval, deblur, export, bench.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for name, (_, help_text) in COMMANDS.items():
        # Only the names: each module declares its own arguments, imported in main() for the
        # one subcommand that runs, which keeps start-up fast for the others.
        sub.add_parser(name, help=help_text, description=help_text)
    return parser


def main(argv=None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = argparse.ArgumentParser(prog="mccnet", add_help=False)
    parser.add_argument("command", nargs="?")
    known, _ = parser.parse_known_args(argv[:1])
    full = build_parser()
    if known.command in COMMANDS:
        module = importlib.import_module(COMMANDS[known.command][0])
        sub = argparse.ArgumentParser(
            prog=f"mccnet {known.command}", description=COMMANDS[known.command][1]
        )
        module.add_arguments(sub)
        args = sub.parse_args(argv[1:])
        return int(module.run(args) or 0)
    full.parse_args(argv)  # prints usage / help / the list of valid commands and exits
    return 2


if __name__ == "__main__":
    sys.exit(main())

"""The `mccnet` console command: one subcommand per pipeline stage.

Each subcommand lives in its own module exposing `add_arguments(parser)`, `run(args) -> int` and
optionally `check_arguments(args)` (the checks that need no Keras: paths, output folders,
backend-dependent modes; raises SystemExit or returns an exit code). The module is imported only
when its subcommand runs and none of these imports Keras, so `mccnet --help`, `mccnet X --help`
and argument errors answer in a fraction of a second, before anything is written
(benchmarks/cli_startup.py). Keras (and TensorFlow's start-up log lines) come in only after the
checks passed, quietly unless `--verbose` (keras_mccnet/startup.py).
"""

from __future__ import annotations

import argparse
import importlib
import sys

# name -> (module, one-line help). Add a line here to add a stage.
COMMANDS = {
    "info": ("keras_mccnet.commands.info", "parameters, MACs and activation memory of a model"),
    "synth": ("keras_mccnet.commands.synth", "write a synthetic dual-pixel dataset (DPDD layout)"),
    "train": ("keras_mccnet.commands.train", "train MCCNet; a run directory resumes"),
    "eval": ("keras_mccnet.commands.eval", "score a model with the DPDD protocol"),
    "deblur": ("keras_mccnet.commands.deblur", "deblur a dual-pixel photo (LEFT RIGHT -o OUT)"),
    "export": ("keras_mccnet.commands.export", "TFLite (fp32/fp16/dynamic/int8) and ONNX export"),
    "bench": ("keras_mccnet.commands.bench", "latency of exported models through LiteRT"),
    "demo": ("keras_mccnet.commands.demo", "the README's main job, end to end, into one folder"),
    "web": ("keras_mccnet.commands.web", "the browser demo (LiteRT.js), served locally"),
}
# What each stage imports, quietly, once its arguments passed (default: Keras and its backend).
# synth is NumPy + OpenCV only; bench runs LiteRT, whose helpers import TensorFlow.
QUIET_IMPORTS = {"synth": (), "bench": ("tensorflow",)}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mccnet",
        description=f"MCCNet dual-pixel defocus deblurring: {', '.join(COMMANDS)}.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for name, (_, help_text) in COMMANDS.items():
        # Arguments are declared by each stage's module, imported only when that stage runs.
        sub.add_parser(name, help=help_text, description=help_text)
    return parser


def subcommand_parser(name: str) -> argparse.ArgumentParser:
    """The full parser of stage `name` (imports its module, which must not import Keras)."""
    module = importlib.import_module(COMMANDS[name][0])
    parser = argparse.ArgumentParser(prog=f"mccnet {name}", description=COMMANDS[name][1])
    module.add_arguments(parser)
    parser.add_argument("--verbose", action="store_true",
                        help="show the backend's start-up logs (TensorFlow's are hidden)")
    parser.set_defaults(_run=module.run, _check=getattr(module, "check_arguments", None))
    return parser


def main(argv=None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] not in COMMANDS:
        build_parser().parse_args(argv)  # prints usage / help / the valid commands and exits
        return 2
    name = argv[0]
    args = subcommand_parser(name).parse_args(argv[1:])
    if args._check is not None:
        code = args._check(args)
        if isinstance(code, int) and code != 0:
            return code
    if not args.verbose:
        from keras_mccnet.startup import import_backend_quietly

        import_backend_quietly(QUIET_IMPORTS.get(name, ("keras",)))
    return int(args._run(args) or 0)


if __name__ == "__main__":
    sys.exit(main())

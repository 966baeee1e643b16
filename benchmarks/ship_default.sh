#!/usr/bin/env bash
# Makes a campaign's candidate the default mccnet_tiny 'synthetic' weights and re-runs every
# measurement that depends on them (the chain run for each new default since issue 10's sixth
# campaign, kept here so that shipping is one command).
#
#   bash benchmarks/ship_default.sh CANDIDATE.weights.h5 PREVIOUS.weights.h5 "OLD LABEL" \
#       "NEW LABEL" "DESCRIPTION"
#
# PREVIOUS is the committed candidate file of the default being replaced (the registry entry's
# description names it), so that the comparison tables name a file every clone has.
# OLD LABEL / NEW LABEL name the previous and the new default in the blur-band and split-gain
# tables (for example "campaign 86 step 2200" and "campaign 87 step 9600"); DESCRIPTION is the
# registry entry's whole training history (extend the current one:
# keras_mccnet/weights/registry.json).
# DESCRIPTION must name the new default's number ("Default #23; it replaced default #22 ..."):
# the focus-side table labels the replaced default's row with it.
# About 35 minutes on the 2 shared cores. Afterwards: update the prose that quotes these figures
# (the README's At-a-glance rows and per-scene table, the campaign's entry in docs/campaigns.md),
# run `make test`, commit the weights, the results and the documents separately.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "$#" -ne 5 ]; then
    sed -n '2,19p' "$0" >&2
    exit 2
fi
CANDIDATE=$1 PREVIOUS=$2 OLD_LABEL=$3 NEW_LABEL=$4 DESCRIPTION=$5
PY=.venv/bin/python
for weights in "$CANDIDATE" "$PREVIOUS"; do
    [ -f "$weights" ] || { echo "ship_default.sh: $weights: no such weights file" >&2; exit 2; }
done
NEW_NUMBER=$(grep -o 'Default #[0-9]*' <<< "$DESCRIPTION" | head -n 1 | tr -dc '0-9' || true)
[ -n "$NEW_NUMBER" ] || { echo "ship_default.sh: DESCRIPTION names no 'Default #N'" >&2; exit 2; }
ABLATION=runs/cpu_ablation_400  # the correlation diagnosis's from-scratch seed-0 models
DEFAULT14=benchmarks/candidates/mccnet_tiny_campaign41_step1200.weights.h5

mkdir -p runs
$PY benchmarks/ship_weights.py "$CANDIDATE" --preset mccnet_tiny --name synthetic \
    --description "$DESCRIPTION"
$PY tests/references/record_shipped_output.py
# 4000 steps: on default #17's backbone 2000 left the head at the block matcher's level on the
# real R6 scenes (Spearman +0.671 against +0.673); 4000 reached +0.683
$PY benchmarks/train_defocus_head.py --steps 4000 --workers 1
$PY benchmarks/defocus_realdp.py
$PY benchmarks/defocus_realdp.py --shading 0.25
$PY benchmarks/dp_axis.py --threads 1
$PY benchmarks/self_ensemble.py --threads 1
$PY benchmarks/blur_size_gain.py --threads 1 --name blur_size_gain_shipped --models \
    "previous default ($OLD_LABEL)=mccnet_tiny:$PREVIOUS" \
    "$NEW_LABEL (shipped)=mccnet_tiny:synthetic"
# default #14 stays in the split-gain table as the last default trained from the first weights
$PY benchmarks/split_gain.py --threads 1 --name split_gain --models \
    "default ($NEW_LABEL)=mccnet_tiny:synthetic" \
    "previous default ($OLD_LABEL)=mccnet_tiny:$PREVIOUS" \
    "default #14 (campaign 41 step 1200)=mccnet_tiny:$DEFAULT14"
# the older defaults' rows stay from the committed table; the replaced default is scored from
# its candidate file and the old "shipped" row (the same spec as the new one's) is dropped
$PY benchmarks/focus_side.py --keep-others --threads 1 --name focus_side --models \
    "default #$((NEW_NUMBER - 1)) ($OLD_LABEL)=mccnet_tiny:$PREVIOUS" \
    "shipped ($NEW_LABEL)=mccnet_tiny:synthetic"
$PY benchmarks/r6_gap_checks.py --threads 1 --name r6_gap_checks
if [ -d "$ABLATION" ]; then
    $PY benchmarks/correlation_diagnosis.py --threads 1 --models \
        "shipped mccnet_tiny (campaign)=mccnet_tiny:synthetic" \
        "mccnet_tiny seed 0=$ABLATION/mccnet_tiny_seed0/checkpoint.keras" \
        "mccnet_tiny + cost contrast seed 0=$ABLATION/mccnet_tiny_cost_contrast_seed0/checkpoint.keras" \
        "concat_tiny seed 0=$ABLATION/concat_tiny_seed0/checkpoint.keras" \
        "siamese_no_corr_tiny seed 0=$ABLATION/siamese_no_corr_tiny_seed0/checkpoint.keras"
else
    # the seed-0 runs are gone (a fresh machine): re-measure the shipped row, keep the others
    # (they do not depend on the default; their command stays in the json's rows_kept_from)
    echo "ship_default.sh: $ABLATION is missing: only the shipped row of the correlation" \
         "diagnosis is re-measured" >&2
    $PY benchmarks/correlation_diagnosis.py --threads 1 --keep-others --models \
        "shipped mccnet_tiny (campaign)=mccnet_tiny:synthetic"
fi
$PY benchmarks/int8_quality.py --latency-variants "" \
    --variants fp32,int8,int8_float_norm_output,int8_float_norm_output_operands,int8_float_default \
    --no-debug --out benchmarks/results/int8_quality_shipped.json \
    --layers-csv runs/int8_layers_unused.csv
$PY benchmarks/demo_wall_time.py
echo "ship_default.sh: done; now the README prose, make test, and three commits"

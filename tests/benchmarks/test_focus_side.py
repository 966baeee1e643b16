"""focus_side.py --keep-others (run by ship_default.sh at every ship): only the new default and
the one it replaces are scored; the older defaults' committed rows stay, the old "shipped" row
goes."""

import pathlib
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))

import focus_side  # noqa: E402

SETS = ("as validated", "L and R swapped")


def results(command: str, models: dict, psnr: dict, **extra) -> dict:
    """A focus_side results dict over two scene sets, input C at 26 dB in both."""
    return {"command": command, "models": models, "input_psnr": dict.fromkeys(SETS, 26.0),
            "psnr": {label: dict(zip(SETS, values)) for label, values in psnr.items()},
            "gain_db": {label: {s: v - 26.0 for s, v in zip(SETS, values)}
                        for label, values in psnr.items()}, **extra}


COMMITTED = results(
    "focus_side.py --models ...all of them...",
    {"default #20 (campaign 81)": "mccnet_tiny:c81.h5",
     "default #21 (campaign 86)": "mccnet_tiny:c86.h5",
     "shipped (campaign 87)": "mccnet_tiny:synthetic"},
    {"default #20 (campaign 81)": (30.0, 29.0), "default #21 (campaign 86)": (30.1, 29.1),
     "shipped (campaign 87)": (30.3, 29.3)})


def test_the_replaced_default_moves_to_its_number_and_the_old_shipped_row_goes():
    scored = results("focus_side.py --keep-others --models two",
                     {"default #22 (campaign 87)": "mccnet_tiny:c87.h5",
                      "shipped (campaign 92)": "mccnet_tiny:synthetic"},
                     {"default #22 (campaign 87)": (30.3, 29.3),
                      "shipped (campaign 92)": (30.4, 29.4)})
    merged = focus_side.with_committed_rows(scored, COMMITTED)
    assert list(merged["models"]) == ["default #20 (campaign 81)", "default #21 (campaign 86)",
                                      "default #22 (campaign 87)", "shipped (campaign 92)"]
    assert merged["psnr"]["default #20 (campaign 81)"] == {SETS[0]: 30.0, SETS[1]: 29.0}
    assert merged["gain_db"]["shipped (campaign 92)"][SETS[1]] == pytest.approx(3.4)
    assert "shipped (campaign 87)" not in merged["psnr"] | merged["gain_db"]
    # the kept rows name the run that measured them, the command this run's
    assert merged["rows_kept_from"] == {"command": COMMITTED["command"],
                                        "models": ["default #20 (campaign 81)",
                                                   "default #21 (campaign 86)"]}
    assert merged["command"] == scored["command"]
    row = "| `default #20 (campaign 81)` | 30.00 (+4.00) | 29.00 (+3.00) |"
    assert row in focus_side.table(merged)


def test_a_second_keep_others_run_still_names_the_first_full_run():
    once = {**COMMITTED, "rows_kept_from": {"command": "the full run", "models": []}}
    scored = results("again", {"default #21 (campaign 86)": "mccnet_tiny:c86.h5"},
                     {"default #21 (campaign 86)": (30.2, 29.2)})
    merged = focus_side.with_committed_rows(scored, once)
    assert merged["rows_kept_from"]["command"] == "the full run"
    # re-scored in its committed place, not appended
    assert list(merged["models"])[1] == "default #21 (campaign 86)"
    assert merged["psnr"]["default #21 (campaign 86)"][SETS[0]] == 30.2


def test_committed_results_over_other_scene_sets_are_refused():
    other = {**COMMITTED, "input_psnr": {"as validated": 26.0}}
    scored = results("x", {"shipped (campaign 92)": "mccnet_tiny:synthetic"},
                     {"shipped (campaign 92)": (30.4, 29.4)})
    with pytest.raises(SystemExit, match="other scene sets"):
        focus_side.with_committed_rows(scored, other)

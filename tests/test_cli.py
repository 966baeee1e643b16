import pytest

from keras_mccnet.cli import COMMANDS, main


def test_unknown_command_lists_the_stages(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["frobnicate"])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert "invalid choice: 'frobnicate'" in err and "info" in err


def test_every_registered_stage_has_arguments_and_a_run_function():
    import importlib

    for name, (module, help_text) in COMMANDS.items():
        mod = importlib.import_module(module)
        assert callable(mod.add_arguments) and callable(mod.run), name
        assert help_text


def test_info_rejects_an_unknown_preset(capsys):
    with pytest.raises(SystemExit):
        main(["info", "--preset", "mccnet_huge"])
    assert "invalid choice: 'mccnet_huge'" in capsys.readouterr().err

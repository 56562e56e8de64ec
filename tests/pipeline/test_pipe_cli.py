"""`roboinstruct generate` / `report` input errors: one clear line, exit code 2, nothing lost."""

from roboinstruct.cli import main


def test_bad_settings_are_one_line(tmp_path, capsys):
    assert main(["generate", "--num", "0", "--out", str(tmp_path / "r")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "--num must be at least 1" in err[0]


def test_foreign_directory_is_refused(tmp_path, capsys):
    d = tmp_path / "mine"
    d.mkdir()
    (d / "precious.txt").write_text("keep me")
    assert main(["generate", "--num", "1", "--out", str(d)]) == 2
    assert "is not a roboinstruct run" in capsys.readouterr().err
    assert (d / "precious.txt").read_text() == "keep me"


def test_bad_config_file(tmp_path, capsys):
    cfg = tmp_path / "c.yaml"
    cfg.write_text("mode: [oops\n")
    assert main(["generate", "--config", str(cfg)]) == 2
    assert "invalid YAML" in capsys.readouterr().err


def test_report_of_a_non_run(tmp_path, capsys):
    assert main(["report", str(tmp_path)]) == 2
    assert "no manifest.json" in capsys.readouterr().err

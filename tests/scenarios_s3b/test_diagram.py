"""`dataflow diagram` on the EU -> UK -> US chain: one cluster per jurisdiction inside the area
boundary, exits drawn in red with a "leaves <area>" label. docs/cli.md does not say which area
the default overview highlights: it is only the first area touched (EEA here), so the three UK
restricted transfers are drawn as plain or 'onward' edges unless `--area all` is given."""

from __future__ import annotations

from .helpers import cli, scenario

NAME = "eu-uk-us"


def test_clusters_per_jurisdiction() -> None:
    out = cli("diagram", scenario(NAME), "--format", "dot")
    assert out.rc == 0, out.stderr
    for label in ("Inside the EEA (GDPR)", "Netherlands (NL)", "United Kingdom (GB)",
                  "India (IN)", "United States (US)"):
        assert label in out.stdout, label


def test_default_overview_marks_only_the_eea_exit() -> None:
    out = cli("diagram", scenario(NAME), "--format", "dot")
    assert out.stdout.count("leaves EEA") == 1
    assert "leaves UK" not in out.stdout


def test_area_all_marks_every_exit() -> None:
    out = cli("diagram", scenario(NAME), "--format", "dot", "--area", "all")
    assert out.rc == 0, out.stderr
    assert out.stdout.count("leaves EEA") == 1
    assert out.stdout.count("leaves UK") == 3

"""`make bench`'s figures and table: a target is read on the ratio, a failed run is never 'met'."""

from bench.__main__ import table_lines
from bench.report import absolute_figure, check_figure, ratio_figure


def test_a_ratio_target_is_read_on_the_ratio_not_the_value():
    figure = ratio_figure(
        "import", 3_000, 6_000, unit="articles/s", baseline="raw", target=(">=", 0.5)
    )

    assert (figure["ratio"], figure["target"], figure["met"]) == (0.5, "ratio >= 0.5", True)
    slower = ratio_figure("import", 2_999, 6_000, unit="articles/s", baseline="raw",
                          target=(">=", 0.5))  # fmt: skip
    assert slower["met"] is False


def test_an_absolute_target_is_read_on_the_value_and_no_target_is_neither_met_nor_not():
    assert absolute_figure("100,000 articles", 61, unit="s", target=("<=", 60))["met"] is False
    assert absolute_figure("peak memory", 80, unit="MB")["met"] is None


def test_the_table_fails_on_a_target_not_met_and_on_a_benchmark_that_left_no_figures():
    met = ratio_figure("open p95", 30, 10, unit="ms", baseline="trivial", target=("<=", 3))
    results = {
        "benches": {
            "load": {"exit": 0, "log": "bench/logs/load.log", "figures": [met]},
            "scale": {"exit": 1, "log": "bench/logs/scale.log", "figures": []},
        }
    }

    lines, all_met = table_lines(results)

    assert not all_met
    assert any("open p95" in line and line.endswith(" met") for line in lines)
    assert any("scale" in line and "FAILED (exit 1; see bench/logs/scale.log)" in line
               for line in lines)  # fmt: skip
    results["benches"].pop("scale")
    assert table_lines(results)[1]


def test_a_failed_check_is_not_met_and_says_why():
    check = check_figure("no lost save", False, detail="layer 7 lost its last save")

    assert (check["met"], check["value"]) == (False, 0.0)
    assert check["detail"] == "layer 7 lost its last save"
    lines, all_met = table_lines({"benches": {"load": {"exit": 1, "log": "", "figures": [check]}}})
    assert not all_met
    assert "fail" in lines[-1]
    assert "NOT met" in lines[-1]

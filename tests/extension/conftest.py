"""The toolbar's end-to-end tests: where their screenshots went, said at the end of the run."""

from __future__ import annotations

from tests.extension import harness


def pytest_terminal_summary(terminalreporter):
    if harness.REPORT_LINES:
        terminalreporter.section("toolbar end to end")
        for line in harness.REPORT_LINES:
            terminalreporter.write_line(line)

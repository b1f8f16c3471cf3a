"""Packaging beyond pyproject.toml: the wheel carries the review-workbench UI components.

The one copy of the workbench (plain ES modules shared by the browser toolbar and the dashboard)
lives in ``extension/workbench/``; building copies it into the package as ``server/web/workbench/``,
where the dashboard serves it from (see ``server/web/workbench.py``).
"""

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

WORKBENCH_SOURCE = Path("extension", "workbench")
WORKBENCH_TARGET = ("server", "web", "workbench")
WORKBENCH_FILES = ("*.js", "*.css")


class BuildPyWithWorkbench(build_py):
    """``build_py`` that also copies ``extension/workbench/*.js|css`` to ``server/web/workbench/``."""

    def run(self):
        super().run()
        target = Path(self.build_lib, *WORKBENCH_TARGET)
        self.mkpath(str(target))
        for source in self._workbench_files():
            self.copy_file(str(source), str(target / source.name), preserve_mode=False)

    def get_outputs(self, include_bytecode=True):
        built = [str(Path(self.build_lib, *WORKBENCH_TARGET, source.name)) for source in self._workbench_files()]
        return [*super().get_outputs(include_bytecode), *built]

    def _workbench_files(self):
        here = Path(__file__).resolve().parent / WORKBENCH_SOURCE
        files = sorted({path for pattern in WORKBENCH_FILES for path in here.glob(pattern)})
        if not files:
            raise FileNotFoundError(f"No workbench files in {here}: the dashboard needs them (extension/workbench/*.js).")
        return files


setup(cmdclass={"build_py": BuildPyWithWorkbench})

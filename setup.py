"""Ships macros/ (the VBA and ribbon sources, kept at the top of the repository for review) inside
the package, so `xl766 tao-mau` works from a plain `pip install .`."""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py


class BuildWithMacros(build_py):
    def run(self):
        super().run()
        target = Path(self.build_lib) / "xl766" / "excel" / "macros"
        shutil.copytree(Path(__file__).parent / "macros", target, dirs_exist_ok=True)


setup(cmdclass={"build_py": BuildWithMacros})

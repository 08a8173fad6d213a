"""The build step pyproject.toml cannot say: the course (notebooks/ and quizzes/ at the repository root, where the
layout keeps them) is copied into the package as ``sandbox/_material/`` so a wheel carries it; ``sandbox.material``
finds it there, or in a checkout."""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
#: Folder at the root -> the files of it the course needs.
COURSE = {"notebooks": ("*.ipynb",), "quizzes": ("*.yaml", "*.json")}


class BuildWithCourse(build_py):
    """build_py, plus the course copied into the built package."""

    def run(self) -> None:
        super().run()
        for folder, patterns in COURSE.items():
            target = Path(self.build_lib) / "sandbox" / "_material" / folder
            target.mkdir(parents=True, exist_ok=True)
            for pattern in patterns:
                for source in sorted((ROOT / folder).glob(pattern)):
                    shutil.copyfile(source, target / source.name)


setup(cmdclass={"build_py": BuildWithCourse})

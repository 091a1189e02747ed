"""Installation script for the cs231n teaching kit.

``pip install -e .`` installs the reference package ``cs231n`` (numpy only, no build
step).  The extras add what instructors and the test-suite need:

* ``test``   -- pytest, hypothesis, nbformat/nbclient/ipykernel, ruff, jupytext;
* ``grader`` -- nbgrader and the ``autograder`` instructor tooling.
"""

from pathlib import Path

from setuptools import find_packages, setup

HERE = Path(__file__).parent


def _requirements():
    lines = (HERE / "requirements.txt").read_text().splitlines()
    return [ln.strip() for ln in lines if ln.strip() and not ln.startswith("#")]


setup(
    name="cs231n-kit",
    version="0.1.0",
    description="A numpy deep-learning teaching kit: reference package, nbgrader notebooks, autograder.",
    long_description=(HERE / "README.md").read_text(encoding="utf-8"),
    long_description_content_type="text/markdown",
    license="MIT",
    python_requires=">=3.10",
    packages=find_packages(include=["cs231n", "cs231n.*", "autograder", "autograder.*"]),
    include_package_data=True,
    package_data={"cs231n": ["**/*.npz", "**/*.json", "**/*.png", "**/*.txt", "**/LICENSE*"]},
    install_requires=_requirements(),
    extras_require={
        "test": [
            "pytest>=8",
            "pytest-xdist>=3.5",
            "hypothesis>=6.100",
            "nbformat>=5.9",
            "nbclient>=0.10",
            "ipykernel>=6.29",
            "ruff>=0.6",
            "jupytext>=1.16",  # the notebook sources (python -m autograder.authoring build)
            "h5py>=3.8",  # the COCO captioning loader's tests (HDF5 fixtures)
        ],
        "grader": [
            "nbgrader>=0.9.6",
            "copydetect>=0.5",
            "nbformat>=5.9",
            "nbclient>=0.10",
            "ipykernel>=6.29",
            # python -m autograder.authoring build: reads the percent sources, and its
            # output is ruff-formatted, so --check gives the same verdict everywhere
            "jupytext>=1.16",
            "ruff>=0.6",
        ],
        "bench": ["threadpoolctl>=3.5"],
        "coco": ["h5py>=3.8"],  # CS231n's COCO captioning features (HDF5)
    },
    entry_points={
        "console_scripts": [
            "cs231n-data=cs231n.data.__main__:main",
            "cs231n-grader=autograder.__main__:main",
        ]
    },
    classifiers=[
        "Programming Language :: Python :: 3",
        "Programming Language :: Python :: 3.10",
        "Programming Language :: Python :: 3.11",
        "Programming Language :: Python :: 3.12",
        "Programming Language :: Python :: 3.13",
    ],
)

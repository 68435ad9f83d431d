"""Statistics of survey responses with safe anonymity (no Django): cube, suppression, intervals, audit."""

from .audit import disclosure_problems
from .ci import wilson
from .cube import ALL, DIMENSIONS, Cube, build_cube
from .protect import CellFigures, IndicatorFigure, ProtectedCube, protect

__all__ = [
    "ALL",
    "DIMENSIONS",
    "CellFigures",
    "Cube",
    "IndicatorFigure",
    "ProtectedCube",
    "build_cube",
    "disclosure_problems",
    "protect",
    "wilson",
]

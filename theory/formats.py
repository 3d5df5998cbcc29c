"""Output formats of the bound tables, import-light so that the command line can list them without sympy.

Examples
--------
>>> FORMATS
('md', 'latex', 'csv', 'json')
"""

from __future__ import annotations

__all__ = ["FORMATS"]

#: ``featurecheck table --format`` values, in the order ``--help`` lists them (the first is the default)
FORMATS = ("md", "latex", "csv", "json")

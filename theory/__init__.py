"""featurecheck theory: exact and symbolic statements (sympy, Python ints, Fractions). No numba."""

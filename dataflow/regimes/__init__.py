"""Regimes: each turns transfers into what its law requires. Pure functions over the analysis."""

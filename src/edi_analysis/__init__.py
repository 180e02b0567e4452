"""edi-report: reproducible Equality, Diversity and Inclusion analysis for NHS bodies in England.

The package holds every calculation behind the annual EDI report; the notebooks in
``notebooks/`` only call it and display what it returns.
"""

__version__ = "0.1.0"

"""Printers: one per target language, over SymPy's dispatch (``_print_<Class>`` methods).

* :mod:`symnet.printing.latex` — LaTeX of expressions, matrices and networks;
* :mod:`symnet.printing.numpy` — NumPy/SciPy code, and the only place where
  symnet turns expressions into Python functions;
* :mod:`symnet.printing.text` — plain text for terminals.
"""

"""Measuring the product: the seed question set (``seed``), SQuAD 2.0 (``squad``), the stock
llama-index pipeline they are compared with (``baseline``), and ``assistant eval`` (``runner``)."""

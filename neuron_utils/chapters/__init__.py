"""One module per chapter: its parameters, analysis steps, figures and ``summarise()``.

A chapter module may use everything in :mod:`neuron_utils.core`, :mod:`neuron_utils.data`
and :mod:`neuron_utils.methods` (and the book's parameters and plotting), but no other
chapter's module: a step two chapters share belongs in one of those layers, so that editing a
chapter re-runs that chapter alone (and the findings page).
"""

"""One module per chapter: its parameters, analysis steps, figures and ``summarise()``.

A chapter module may use everything in :mod:`neuron_utils.core`, :mod:`neuron_utils.data`
and :mod:`neuron_utils.methods`, and the modules of earlier chapters it builds on.
"""

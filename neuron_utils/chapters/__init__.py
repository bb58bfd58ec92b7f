"""One folder per chapter (a package): its parameters, analysis, typed summary, prose, tables,
figures, claims, notebook and golden numbers (``neuron_utils/README.md`` lists the files).

A chapter's modules may use everything in :mod:`neuron_utils.kit`, :mod:`neuron_utils.methods`,
:mod:`neuron_utils.data` and :mod:`neuron_utils.core`, but no other chapter and not the pipeline
(:mod:`neuron_utils.book`) above them: a step two chapters share belongs in one of those layers,
so that editing a chapter re-runs that chapter alone (and the findings page). The chapters, in
order, are the ones ``_toc.yml`` lists (:mod:`neuron_utils.book.registry`).
"""

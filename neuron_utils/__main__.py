"""``python -m neuron_utils``: see :mod:`neuron_utils.book.cli`."""

import sys

from .book.cli import main

sys.exit(main())

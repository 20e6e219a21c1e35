"""``python -m smmkit.i18n.catalogs init|update|check``: catalog upkeep for translators."""

import sys

from ._maintain import main

__all__ = ["main"]

if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

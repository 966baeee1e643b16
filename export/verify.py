"""`python -m export.verify`, the same as `mccnet export --verify`: a thin entry point.

The code lives in `keras_mccnet.export.verify`: the repository keeps the design card's
folders as the stages' entry points, and everything they run is packaged under `keras_mccnet`,
so an installed wheel has the same code.
"""

import sys

from keras_mccnet.export.verify import main

if __name__ == "__main__":
    sys.exit(main())

"""Named training configs, one file each; `mccnet train --config NAME`."""

"""The command-line layer: options and messages only; the work is done in io/, store/ and analysis/."""

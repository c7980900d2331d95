"""One run of mdlint: files to lint, config, workers, caches, time limits, the baseline."""

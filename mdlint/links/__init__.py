"""Link checking: URL classification, the remote checker, its cache, and local targets."""

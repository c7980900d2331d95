"""What a rule is, how rules are found, configured for a file and run, and how suppressions apply."""

"""Built-in rules: one module per rule, each defining `RULE`."""

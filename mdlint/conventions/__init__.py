"""The conventions of a knowledge base that rules compare against: the icon legend and entries, line starts."""

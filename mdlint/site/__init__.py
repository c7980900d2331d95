"""What a run knows beyond one file: the run's documents, folders and front matter."""

"""Reading and writing clinical data files."""

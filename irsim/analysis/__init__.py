"""Clinical measurement: indices, minimal-model fitting, diagnosis, and summary measures."""

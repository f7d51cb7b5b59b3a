"""Model infrastructure: blocks, composed models, parameter values, steady states."""

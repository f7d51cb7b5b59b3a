"""Physiology blocks, one module per organ or process. Blocks never import one another."""

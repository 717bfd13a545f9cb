"""A small package whose model files use blocks from another subpackage of it."""

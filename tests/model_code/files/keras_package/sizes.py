"""Sizes shared by the models of this package."""

WIDTH = 8


def image_shape(side, channels=3):
    return (side, side, channels)

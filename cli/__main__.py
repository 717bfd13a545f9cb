"""`python -m layerplan`: the same command as `layerplan`."""

from layerplan.main import main

if __name__ == "__main__":
    main()

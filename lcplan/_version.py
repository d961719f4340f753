"""The one version number of the package and of the dataset it carries."""

__version__ = "0.2.0"

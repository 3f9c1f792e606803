"""competency-crosswalk: competency frameworks and the crosswalks between them."""

__version__ = "0.1.0"

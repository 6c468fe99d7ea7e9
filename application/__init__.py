"""The application layer: command intake and queries over the Customer aggregate."""

from application.customers import Customers
from application.intake import ConcurrencyError
from application.requests import Registration, Resolution
from application.results import Result

__all__ = ["ConcurrencyError", "Customers", "Registration", "Resolution", "Result"]

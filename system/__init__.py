"""The system: command intake leading the projection of the read model."""

from eventsourcing.system import System

from application import Customers
from system.directory import CustomerDirectory

customer_system = System(pipes=[[Customers, CustomerDirectory]])

__all__ = ["CustomerDirectory", "customer_system"]

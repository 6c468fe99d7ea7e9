"""The occasionally connected client: a durable outbox and a local view model."""

"""What the tests, the benchmarks and the reliability campaigns share to drive
the product from outside: the server as a child process, PostgreSQL schemas of
their own, and the demo's story. Not shipped: it is not part of the product."""

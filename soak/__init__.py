"""Reliability campaigns: crashes, concurrency, bad input, access, with figures."""

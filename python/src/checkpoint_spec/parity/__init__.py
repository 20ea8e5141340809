"""The parity run: every case on several targets, each judged against the spec and against the others."""

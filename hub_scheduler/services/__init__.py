"""Use cases: plain values and a unit of work in, domain objects or domain errors out."""

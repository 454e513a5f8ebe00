"""Pure analyses: data in, data out; no clock, no printing, no database."""

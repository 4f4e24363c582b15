// Loops forever: `run --timeout-ms 200` stops it.
while (true) {}

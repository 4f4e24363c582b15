// Allocates without end: `run --max-heap-mb 64` stops it with an error.
const kept = [];
while (true) kept.push(new Array(100_000).fill(Math.random()));

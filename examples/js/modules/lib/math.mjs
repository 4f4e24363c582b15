// Plain exports, imported by main.js and by describe.js (loaded once).
export const sum = (xs) => xs.reduce((a, b) => a + b, 0);
export const mean = (xs) => sum(xs) / xs.length;

// Imported dynamically by main.js; it imports math.mjs, already loaded.
import { mean, sum } from "./math.mjs";

export const describe = (xs) => `${xs.length} numbers, sum ${sum(xs)}, mean ${mean(xs)}`;

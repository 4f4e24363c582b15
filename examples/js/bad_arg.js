// Passes a string where op_add wants a number: `run` reports the TypeError
// (naming op_add and the argument) with its stack, and exits with 1.
function main() {
  return ops.op_add(1, "x");
}
main();

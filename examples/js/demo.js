// A script for the `run` example: sync ops and a caught op error.
const sum = ops.op_add(20, 22);
console.log(ops.op_greet("run"), sum);
try {
  ops.op_read_text_sync("/no/such/file");
} catch (e) {
  console.log(`${e.name} (${e.code}): ${e.message}`);
}

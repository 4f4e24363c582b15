// A module calling an op; `import.meta.main` is false here.
export function greet(name) {
  if (import.meta.main) throw new Error("greet.js is not the main module");
  return ops.op_greet(name);
}

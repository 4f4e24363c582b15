// Prints a text file with the `fs` extension:
//   run --allow-read examples/js/cat.js <path>
// Without --allow-read (or with one that does not cover <path>), it fails
// with PermissionDenied and the flag to add.
fs.readTextFile(args[0]).then((text) => console.log(text));

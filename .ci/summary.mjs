// Prints vitest's JSON results as the one line CI reads: "N passed, N failed, N skipped".
import { readFileSync } from 'node:fs';

const file = process.argv[2];
let results;
try {
  results = JSON.parse(readFileSync(file, 'utf8'));
} catch (error) {
  console.log(`no test results (${error.message})`);
  console.log('0 passed, 1 failed');
  process.exit(1);
}
const failedSuites = results.testResults.filter((r) => r.status === 'failed' && r.assertionResults.length === 0);
for (const suite of failedSuites) console.log(`suite failed to run: ${suite.name}: ${suite.message}`);
const passed = results.numPassedTests;
const failed = results.numFailedTests + failedSuites.length;
const skipped = results.numPendingTests + results.numTodoTests;
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);

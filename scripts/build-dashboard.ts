// Writes the dashboard's bundled script to a file (the CDK app runs this into the Lambda asset
// as dashboard/app.js, where functions/dashboard/assets.ts finds it).
//   tsx scripts/build-dashboard.ts <out file>
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { buildDashboardScript } from '../functions/dashboard/build.ts';

const out = process.argv[2];
if (out === undefined) {
  process.stderr.write('usage: tsx scripts/build-dashboard.ts <out file>\n');
  process.exit(2);
}
const file = resolve(out);
await mkdir(dirname(file), { recursive: true });
await writeFile(file, await buildDashboardScript());
process.stdout.write(`wrote ${file}\n`);

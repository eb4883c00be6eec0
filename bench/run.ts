/**
 * `npm run bench`: every figure of issue 5 from one run of the real bot, as one table on stdout (progress
 * on stderr), and the figures in bench-results/latest.json. Exits 1 only when a figure could not be made;
 * a missed target is a FAIL in the table.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FULL, runBench } from './bench.js';
import { ROOT } from './processes.js';
import { table } from './report.js';

const OUTPUT = join(ROOT, 'bench-results', 'latest.json');

const started = performance.now();
const results = await runBench({
  ...FULL,
  progress: (line) =>
    process.stderr.write(`[${((performance.now() - started) / 1000).toFixed(1)} s] ${line}\n`),
});
const { machine, options } = results;
console.log(
  `vps-bot benchmark, ${results.startedAt}: Node ${machine.node}, ${machine.platform}/${machine.arch}, ` +
    `${machine.cpus} × ${machine.cpu} (load average ${machine.loadAverage.toFixed(2)}); @slack/bolt ${results.bolt}; ` +
    `${options.commands} commands a target at concurrency ${options.concurrency}, simulator answering after ${options.upstreamLatencyMs} ms`,
);
console.log('');
console.log(table(results.rows));
console.log('');
const missed = results.rows.filter((row) => row.pass === false);
console.log(
  missed.length === 0
    ? 'Every target met.'
    : `Missed: ${missed.map((row) => `${row.figure} ${row.name}`).join('; ')}.`,
);
console.log(`Took ${(results.wallMs / 1000).toFixed(1)} s. Figures: ${OUTPUT}`);
await mkdir(join(ROOT, 'bench-results'), { recursive: true });
await writeFile(OUTPUT, `${JSON.stringify(results, null, 2)}\n`);

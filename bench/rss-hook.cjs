// Preloaded into benchmark children: writes the process's peak RSS (KB) to $ATLAS_BENCH_RSS_FILE on exit.
const fs = require('node:fs');

const target = process.env.ATLAS_BENCH_RSS_FILE;
if (target) process.on('exit', () => fs.writeFileSync(target, String(process.resourceUsage().maxRSS)));

// Preloaded into benchmark children: writes the process's peak RSS (KB) and CPU time (user + system, ms) to $ATLAS_BENCH_RSS_FILE on exit.
const fs = require('node:fs');

const target = process.env.ATLAS_BENCH_RSS_FILE;
if (target) {
  process.on('exit', () => {
    const usage = process.resourceUsage();
    fs.writeFileSync(target, `${usage.maxRSS} ${Math.round((usage.userCPUTime + usage.systemCPUTime) / 1000)}`);
  });
}

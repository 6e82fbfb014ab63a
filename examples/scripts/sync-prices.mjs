#!/usr/bin/env node
// Nightly job: pulls prices from the supplier and prints the changes.
const supplier = process.argv[2] ?? 'https://supplier.example.com';

const res = await fetch(`${supplier}/prices.json`, { signal: AbortSignal.timeout(30_000) });
if (!res.ok) {
  console.error(`supplier answered ${res.status}`);
  process.exit(1);
}
console.log(await res.json());

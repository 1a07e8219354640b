// Runs graphql-http's GraphQL-over-HTTP server audits against a running server and prints
// one JSON summary on stdout: counts per requirement level and every audit that did not pass.
// Usage: node audit.mjs http://127.0.0.1:8000/graphql
import { serverAudits } from 'graphql-http';

const url = process.argv[2];
if (!url) {
  console.error('usage: node audit.mjs <graphql url>');
  process.exit(2);
}

const levels = { MUST: { passed: 0, total: 0 }, SHOULD: { passed: 0, total: 0 }, MAY: { passed: 0, total: 0 } };
const failures = [];
for (const audit of serverAudits({ url })) {
  const result = await audit.fn();
  const level = audit.name.split(' ')[0];
  levels[level].total += 1;
  if (result.status === 'ok') {
    levels[level].passed += 1;
  } else {
    failures.push({ id: audit.id, name: audit.name, level, status: result.status, reason: result.reason });
  }
  // Release the response body so no socket is left open.
  if (result.response && result.response.body && !result.response.bodyUsed) {
    await result.response.body.cancel();
  }
}
console.log(JSON.stringify({ url, levels, failures }, null, 2));

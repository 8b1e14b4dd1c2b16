'use strict';
// Waiting on a condition with a deadline, never a bare sleep: the one poll loop the platform
// drivers, the suite and the scenarios share.

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Polls `check` (sync or async) every `intervalMs` until it returns something truthy, which is
// returned; a throw counts as "not yet" and its message is kept for the timeout's error.
async function waitFor(what, deadlineMs, check, intervalMs = 100) {
  const deadline = Date.now() + deadlineMs;
  let last;
  while (Date.now() < deadline) {
    try {
      last = await check();
      if (last) return last;
    } catch (e) {
      last = e.message;
    }
    await sleep(intervalMs);
  }
  throw new Error(`timed out after ${deadlineMs} ms waiting for ${what} (last: ${JSON.stringify(last)})`);
}

module.exports = { waitFor, sleep };

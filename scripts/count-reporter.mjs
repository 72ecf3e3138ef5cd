// Counts browser tests so that CI never over-counts: a skipped test is a failure, and a test file
// that failed to load, threw outside its tests, or whose browser session broke counts as one
// failure even when none of its tests reported. With CIVIC_COUNT_FILE set (scripts/test.mjs sets
// it) the counts go to that file as JSON and nothing is printed; otherwise `N passed, N failed` is
// printed alone as the last line of the run.
import { writeFileSync } from 'node:fs';

/** Passed and failed counts of one browser session (one test file in one browser). */
export function countSession(session) {
  let passed = 0;
  let failed = 0;
  const walk = (suite) => {
    for (const test of suite.tests ?? []) {
      if (test.passed && !test.skipped) passed += 1;
      else failed += 1;
    }
    for (const child of suite.suites ?? []) walk(child);
  };
  if (session.testResults) walk(session.testResults);
  // Errors outside tests count once, unless a failing test already accounts for the session.
  const broken = (session.errors?.length ?? 0) > 0 || !session.passed;
  if (broken && failed === 0) failed = 1;
  return { passed, failed };
}

export function countReporter() {
  return {
    onTestRunFinished({ sessions }) {
      let passed = 0;
      let failed = 0;
      for (const session of sessions) {
        const counts = countSession(session);
        passed += counts.passed;
        failed += counts.failed;
      }
      const file = process.env.CIVIC_COUNT_FILE;
      if (file) {
        writeFileSync(file, `${JSON.stringify({ passed, failed })}\n`);
        return;
      }
      // After the default reporter's closing summary, which it writes on this same event.
      setTimeout(() => console.log(`${passed} passed, ${failed} failed`), 0);
    },
  };
}

// tests/lib/harness.mjs - the test protocol shared by every Node suite.
// Each check prints one line that scripts/check counts:
//   ok - NAME            passed
//   not ok - NAME        failed (followed by "# ..." lines with the reason)
//   skip - NAME # WHY    not run here, with the reason
// Tests run one after the other in the order written; done() prints the
// suite's totals and sets the exit code.
//
//   const t = suite('http: sign-in');
//   await t.test('wrong code is refused', async () => { assert.equal(...); });
//   t.done();

export function suite(title) {
  let passed = 0, failed = 0, skipped = 0;
  console.log(`# ${title}`);
  return {
    async test(name, fn) {
      try {
        await fn();
        passed++;
        console.log(`ok - ${name}`);
      } catch (e) {
        failed++;
        console.log(`not ok - ${name}`);
        for (const line of String(e && e.stack ? e.stack : e).split('\n').slice(0, 12)) console.log(`#   ${line}`);
      }
    },
    skip(name, why) {
      skipped++;
      console.log(`skip - ${name} # ${why}`);
    },
    done() {
      console.log(`# ${title}: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
      process.exitCode = failed ? 1 : 0;
    },
  };
}

// The spec reporter, plus one plain closing line that any CI reads: "mocha: N passed, N failed, N skipped".
const Mocha = require('mocha');

class SpecWithSummary extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    runner.once(Mocha.Runner.constants.EVENT_RUN_END, () => {
      const s = runner.stats;
      const noBrowser = globalThis.__selfregSkippedBrowserSuites ?? [];
      if (noBrowser.length > 0) {
        process.stdout.write(`\n!! ${noBrowser.length} browser suite(s) SKIPPED: no Chromium was found (install it with: sudo apt-get install -y chromium, or set CHROMIUM_PATH):\n`);
        for (const title of noBrowser) process.stdout.write(`!!   - ${title}\n`);
      }
      process.stdout.write(`\nmocha: ${s.passes} passed, ${s.failures} failed, ${s.pending} skipped\n`);
    });
  }
}

module.exports = SpecWithSummary;

#!/usr/bin/env node
// The `logs` command of the npm package. The binary itself ships in one
// optional dependency per platform (@logs-cli/<platform>-<arch>), which npm
// installs only where its `os` and `cpu` match; nothing is downloaded at
// install time. This launcher finds that package with require.resolve and
// runs its binary with the same arguments and standard streams, then exits
// with the binary's exit code, or by the same signal. Signals sent to the
// launcher (SIGINT, SIGTERM, SIGHUP) are passed on to the binary.
// LOGS_BINARY=/path/to/logs runs another build instead.
"use strict";

const { spawn } = require("node:child_process");
const path = require("node:path");

const SUPPORTED = ["darwin-arm64", "darwin-x64", "linux-arm64", "linux-x64", "win32-x64"];
const SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"];
// logs' own exit code for errors.
const EXIT_ERROR = 2;

function fail(message) {
  process.stderr.write(`logs (npm): ${message}\n`);
  process.exit(EXIT_ERROR);
}

function binaryPath() {
  if (process.env.LOGS_BINARY) {
    return process.env.LOGS_BINARY;
  }
  const key = `${process.platform}-${process.arch}`;
  if (!SUPPORTED.includes(key)) {
    fail(
      `there is no prebuilt logs for ${key} (prebuilt: ${SUPPORTED.join(", ")}). ` +
        "Build it from source with `cargo install --path .` in the logs repository, " +
        "and point LOGS_BINARY at it."
    );
  }
  const pkg = `@logs-cli/${key}`;
  let dir;
  try {
    dir = path.dirname(require.resolve(`${pkg}/package.json`));
  } catch {
    fail(
      `${pkg} is not installed. npm installs it as an optional dependency of @logs-cli/logs ` +
        "on this platform: install again without --omit=optional or --no-optional."
    );
  }
  return path.join(dir, "bin", process.platform === "win32" ? "logs.exe" : "logs");
}

const binary = binaryPath();

// The handlers go in before the spawn: between a spawn and a later
// `process.on`, a SIGTERM would end the launcher by default and orphan the
// binary. A signal handled here runs on the event loop, after this tick,
// when `child` is set.
let child = null;
const forwarders = SIGNALS.map((signal) => {
  const forward = () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      child.kill(signal);
    }
  };
  process.on(signal, forward);
  return [signal, forward];
});

child = spawn(binary, process.argv.slice(2), { stdio: "inherit", windowsHide: true });

child.on("error", (err) => fail(`cannot run ${binary}: ${err.message}`));
child.on("exit", (code, signal) => {
  for (const [name, forward] of forwarders) {
    process.removeListener(name, forward);
  }
  if (signal) {
    // End the same way, so that callers see the signal and not a code.
    process.kill(process.pid, signal);
    return;
  }
  process.exit(code === null ? EXIT_ERROR : code);
});

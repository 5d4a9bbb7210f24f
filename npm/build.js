#!/usr/bin/env node
// Stages a `logs` binary into its platform package, ready for `npm pack` or
// `npm publish`, after checking that every package's version (and every
// optional dependency of @logs-cli/logs) matches Cargo.toml.
//
//   node npm/build.js                          # target/dist/logs, this platform
//   node npm/build.js --binary PATH            # another build of this platform
//   node npm/build.js --binary PATH --platform linux-arm64   # a cross-built binary
"use strict";

const fs = require("node:fs");
const path = require("node:path");

const here = __dirname;
const repo = path.resolve(here, "..");

function fail(message) {
  process.stderr.write(`npm/build.js: ${message}\n`);
  process.exit(2);
}

function args() {
  const out = { binary: null, platform: `${process.platform}-${process.arch}` };
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i += 1) {
    const value = argv[i + 1];
    if (argv[i] === "--binary" && value) {
      out.binary = path.resolve(value);
    } else if (argv[i] === "--platform" && value) {
      out.platform = value;
    } else {
      fail(`unknown argument ${argv[i]}; usage: node npm/build.js [--binary PATH] [--platform OS-CPU]`);
    }
    i += 1;
  }
  return out;
}

function readJson(file) {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (err) {
    return fail(`${file}: ${err.message}`);
  }
}

/** The version of Cargo.toml: [package] version, or the workspace's. */
function cargoVersion() {
  const text = fs.readFileSync(path.join(repo, "Cargo.toml"), "utf8");
  const section = (name) => text.split(/^\[/m).find((s) => s.startsWith(`${name}]`));
  const version = (s) => {
    const m = s && s.match(/^version\s*=\s*"([^"]+)"/m);
    return m && m[1];
  };
  return (
    version(section("package")) ||
    version(section("workspace.package")) ||
    fail("Cargo.toml: no [package] or [workspace.package] version")
  );
}

/** Checks versions and names; returns the platform package folders by name. */
function checkPackages(version) {
  const wrapper = readJson(path.join(here, "logs", "package.json"));
  const platforms = new Map();
  for (const entry of fs.readdirSync(here, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name === "logs") continue;
    const pkg = readJson(path.join(here, entry.name, "package.json"));
    if (pkg.name !== `@logs-cli/${entry.name}`) {
      fail(`npm/${entry.name}/package.json: name ${pkg.name}, expected @logs-cli/${entry.name}`);
    }
    const [os, cpu] = entry.name.split("-");
    if (String(pkg.os) !== os || String(pkg.cpu) !== cpu) {
      fail(`npm/${entry.name}/package.json: os ${pkg.os} and cpu ${pkg.cpu} do not match its name`);
    }
    platforms.set(pkg.name, entry.name);
  }
  for (const [name, dir] of [[wrapper.name, "logs"], ...[...platforms].map(([n, d]) => [n, d])]) {
    const pkg = readJson(path.join(here, dir, "package.json"));
    if (pkg.version !== version) {
      fail(`npm/${dir}/package.json: ${name} is ${pkg.version}, Cargo.toml is ${version}`);
    }
  }
  const optional = wrapper.optionalDependencies || {};
  const listed = Object.keys(optional).sort().join(", ");
  const present = [...platforms.keys()].sort().join(", ");
  if (listed !== present) {
    fail(`npm/logs/package.json lists ${listed}; the platform packages are ${present}`);
  }
  for (const [name, v] of Object.entries(optional)) {
    if (v !== version) fail(`npm/logs/package.json: ${name}@${v}, Cargo.toml is ${version}`);
  }
  return platforms;
}

function main() {
  const opts = args();
  const version = cargoVersion();
  const platforms = checkPackages(version);
  const name = `@logs-cli/${opts.platform}`;
  const dir = platforms.get(name);
  if (!dir) fail(`no package for ${opts.platform}; packages: ${[...platforms.values()].join(", ")}`);
  const exe = opts.platform.startsWith("win32-") ? "logs.exe" : "logs";
  const binary = opts.binary || path.join(repo, "target", "dist", exe);
  if (!fs.existsSync(binary)) {
    fail(`${binary} does not exist: build it first (cargo build --profile dist) or pass --binary`);
  }
  const dest = path.join(here, dir, "bin", exe);
  fs.mkdirSync(path.dirname(dest), { recursive: true });
  fs.copyFileSync(binary, dest);
  fs.chmodSync(dest, 0o755);
  process.stdout.write(`staged ${binary} as ${name}@${version} (${path.relative(repo, dest)})\n`);
}

main();

// Bundles entry.js (vis-network 9.1.2 and its pinned peers) into one minified classic script that
// defines the global `vis`, for browsers of the last few years, and writes it with its licences and
// a record of what went in (vis-network.build.json) into the folder given.
// Run by scripts/build-vis-network after `npm ci` in a scratch copy of this folder:
//   node build.mjs OUT_DIR
import { build } from "esbuild";
import { createHash } from "node:crypto";
import { copyFileSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const out = process.argv[2];
if (!out) throw new Error("usage: node build.mjs OUT_DIR");

const manifest = JSON.parse(readFileSync("package.json", "utf8"));
const lock = JSON.parse(readFileSync("package-lock.json", "utf8"));
const bundled = Object.keys(manifest.dependencies).sort();
const version = (name) => lock.packages[`node_modules/${name}`].version;
const info = (name) => JSON.parse(readFileSync(join("node_modules", name, "package.json"), "utf8"));
for (const name of bundled) {
  if (info(name).version !== version(name)) throw new Error(`${name}: node_modules is not the lock file's`);
}

// Only syntax these browsers run natively stays as it is; nothing older is polyfilled.
const TARGET = ["chrome100", "edge100", "firefox100", "safari15.4"];
const banner = [
  "/**",
  " * vis-network",
  " * https://visjs.github.io/vis-network/",
  " *",
  ` * @version ${version("vis-network")}`,
  " *",
  " * vis-network's esnext build with its peers, bundled for Formulation Workbench by",
  " * scripts/build-vis-network (esbuild " + version("esbuild") + ", targets " + TARGET.join(", ") + "):",
  ...bundled.map((name) => ` *   ${name} ${version(name)}, ${info(name).license}`),
  " * Their licence texts are in licenses/ beside this file and their own notices at the end of it.",
  " *",
  " * vis.js is dual licensed under both the Apache 2.0 License and the MIT License;",
  " * @copyright (c) 2011-2017 Almende B.V, http://almende.com",
  " * @copyright (c) 2017-2019 visjs contributors, https://github.com/visjs",
  " */",
].join("\n");

const result = await build({
  entryPoints: ["entry.js"],
  bundle: true,
  format: "iife",
  platform: "browser",
  target: TARGET,
  minify: true,
  legalComments: "eof",
  charset: "ascii",
  banner: { js: banner },
  write: false,
  logLevel: "warning",
});
const code = result.outputFiles[0].text;
if (/<\/script|<\/style/i.test(code)) throw new Error("the bundle would close its <script> element");

mkdirSync(out, { recursive: true });
writeFileSync(join(out, "vis-network.min.js"), code);
const licenses = join(out, "licenses");
rmSync(licenses, { recursive: true, force: true });
const copied = {};
const folderOf = (name) => name.replace(/^@/, "").replace("/", "__");
for (const name of bundled) {
  const folder = join(licenses, folderOf(name));
  const files = readdirSync(join("node_modules", name)).filter((file) => /^(licen[cs]e|copying)/i.test(file)).sort();
  if (!files.length) throw new Error(`${name} ships no licence file`);
  mkdirSync(folder, { recursive: true });
  for (const file of files) copyFileSync(join("node_modules", name, file), join(folder, file));
  copied[name] = files.map((file) => `licenses/${folderOf(name)}/${file}`);
}
const record = {
  file: "vis-network.min.js",
  sha256: createHash("sha256").update(code).digest("hex"),
  bytes: Buffer.byteLength(code),
  esbuild: version("esbuild"),
  targets: TARGET,
  packages: Object.fromEntries(
    bundled.map((name) => [name, { version: version(name), license: info(name).license, files: copied[name] }]),
  ),
};
writeFileSync(join(out, "vis-network.build.json"), JSON.stringify(record, null, 2) + "\n");
console.log(`${join(out, "vis-network.min.js")}: ${record.bytes} bytes, sha256 ${record.sha256}`);

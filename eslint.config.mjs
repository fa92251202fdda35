// ESLint (flat config, eslint 9 pinned in package.json) for every .js file in workbench/.
// Run by scripts/lint-frontend (from scripts/test).
import js from "@eslint/js";
import globals from "globals";
import { readFileSync, readdirSync } from "node:fs";

// Plain scripts that define functions for the scripts after them: every workbench/render/*.js
// (edge_labels.js, map_canvas.js, ...: before the standalone page's script, and before the live
// map's) and the parts that ui/graph_view.py joins in
// front of graph_view.js (its _SCRIPTS), which run as part of that ES module. Both lists are read
// from the sources, so a new part needs no change here.
const read = (path) => readFileSync(new URL(path, import.meta.url), "utf8");
const listed = read("workbench/ui/graph_view.py").match(/^_SCRIPTS\s*=\s*\(([^)]*)\)/m);
if (!listed) throw new Error("eslint.config.mjs: _SCRIPTS not found in workbench/ui/graph_view.py");
const PARTS = [...listed[1].matchAll(/"([\w.-]+\.js)"/g)]
  .map((m) => `workbench/ui/static/${m[1]}`)
  .filter((path) => !path.endsWith("/graph_view.js"));
const RENDER_SHARED = readdirSync(new URL("workbench/render/", import.meta.url))
  .filter((name) => name.endsWith(".js")).sort().map((name) => `workbench/render/${name}`);
const SHARED_FILES = [...RENDER_SHARED, ...PARTS];
const definedIn = (paths) => paths.flatMap((path) => [...read(path).matchAll(/^function (wb\w+)/gm)])
  .map((m) => m[1]);
const SHARED = definedIn(SHARED_FILES);
const readonly = (names) => Object.fromEntries(names.map((name) => [name, "readonly"]));

export default [
  {
    // The vendored vis-network is built, not written here (scripts/build-vis-network).
    ignores: ["node_modules/**", ".venv/**", "build/**", "dist/**", "test-artifacts/**", "workbench/render/vendor/**"],
  },
  js.configs.recommended,
  {
    // Every script runs in the browser; vis-network (vendored, never a CDN) defines the global `vis`.
    files: ["workbench/**/*.js"],
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: "module",
      globals: { ...globals.browser, vis: "readonly" },
    },
    linterOptions: { reportUnusedDisableDirectives: "error" },
    rules: {
      // Clinical text is hostile input: it goes into the page as text, never as HTML or code.
      "no-restricted-syntax": [
        "error",
        {
          selector: "AssignmentExpression > MemberExpression.left[property.name=/^(innerHTML|outerHTML)$/]",
          message: "Insert text with textContent (or build elements); never set innerHTML/outerHTML.",
        },
        {
          selector: "CallExpression[callee.property.name=/^(insertAdjacentHTML|write|writeln)$/]",
          message: "Build elements and insert text with textContent instead.",
        },
        {
          // An inline event handler attribute would need 'unsafe-inline' handlers under a CSP.
          selector: "CallExpression[callee.property.name='setAttribute'][arguments.0.value=/^on/i]",
          message: "Use addEventListener, not an inline on... attribute.",
        },
      ],
      // CSP-friendly and predictable: no code from strings, no sloppy comparisons.
      "no-eval": "error",
      "no-implied-eval": "error",
      "no-new-func": "error",
      "no-script-url": "error",
      eqeqeq: ["error", "smart"],
    },
  },
  {
    // The shared functions are defined here for the scripts that follow; nothing else may be unused.
    files: SHARED_FILES,
    languageOptions: { sourceType: "script" },
    rules: { "no-unused-vars": ["error", { varsIgnorePattern: `^(${SHARED.join("|")})$` }] },
  },
  {
    // Parts of graph_view.js's ES module: strict, like the module they are joined into.
    files: PARTS,
    languageOptions: { parserOptions: { ecmaFeatures: { impliedStrict: true } } },
  },
  {
    files: ["workbench/render/static/page.js"],
    languageOptions: { sourceType: "script", globals: readonly(definedIn(RENDER_SHARED)) },
  },
  {
    files: ["workbench/ui/static/graph_view.js"],
    languageOptions: { globals: readonly(SHARED) },
  },
  {
    // The linters' own configuration runs in Node.
    files: ["*.config.mjs"],
    languageOptions: { globals: globals.node },
  },
];

// ESLint (flat config, eslint 9 pinned in package.json) for every .js file in workbench/.
// Run by scripts/lint-frontend (from scripts/test): `npx eslint --max-warnings 0 workbench`.
import js from "@eslint/js";
import globals from "globals";

// Plain scripts that define one function for the scripts after them: edge_labels.js (before the
// standalone page's script, and before the live map's), map_placement.js and map_linking.js (joined
// in front of graph_view.js by ui/graph_view.py, so they run as part of that ES module).
const SHARED = {
  wbEdgeLabels: "workbench/render/edge_labels.js",
  wbPlacement: "workbench/ui/static/map_placement.js",
  wbMapLinking: "workbench/ui/static/map_linking.js",
};
const PARTS = ["workbench/ui/static/map_placement.js", "workbench/ui/static/map_linking.js"];
const readonly = (names) => Object.fromEntries(names.map((name) => [name, "readonly"]));

export default [
  { ignores: ["node_modules/**", ".venv/**", "build/**", "dist/**", "test-artifacts/**"] },
  js.configs.recommended,
  {
    // Every script runs in the browser; vis-network (from pyvis, never a CDN) defines the global `vis`.
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
    files: Object.values(SHARED),
    languageOptions: { sourceType: "script" },
    rules: { "no-unused-vars": ["error", { varsIgnorePattern: `^(${Object.keys(SHARED).join("|")})$` }] },
  },
  {
    // Parts of graph_view.js's ES module: strict, like the module they are joined into.
    files: PARTS,
    languageOptions: { parserOptions: { ecmaFeatures: { impliedStrict: true } } },
  },
  {
    files: ["workbench/render/static/page.js"],
    languageOptions: { sourceType: "script", globals: readonly(["wbEdgeLabels"]) },
  },
  {
    files: ["workbench/ui/static/graph_view.js"],
    languageOptions: { globals: readonly(Object.keys(SHARED)) },
  },
];

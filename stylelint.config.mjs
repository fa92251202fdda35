// stylelint (pinned in package.json) for every .css file in workbench/: the recommended rules only
// (they catch mistakes such as unknown properties or invalid colours, not formatting).
// Run by scripts/lint-frontend (from scripts/test).
export default {
  extends: ["stylelint-config-recommended"],
  ignoreFiles: ["node_modules/**", ".venv/**", "build/**", "dist/**", "test-artifacts/**"],
};

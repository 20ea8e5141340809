// Flat ESLint config: the recommended JavaScript and typescript-eslint rules.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist/", "node_modules/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.ts"],
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
    },
  },
  {
    // The script of parity.html (in the Python package), linted from the repository root by `npm run lint`;
    // tsc (tsconfig.page.json, checkJs) knows the browser's names, so no-undef would only repeat it without them.
    files: ["python/src/checkpoint_spec/parity/reports/page/*.js"],
    rules: { "no-undef": "off" },
  },
  {
    files: ["eslint.config.js"],
    languageOptions: { globals: {} },
  },
);

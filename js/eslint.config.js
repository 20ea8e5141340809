// Flat ESLint config: the recommended JavaScript rules and typescript-eslint's strict and stylistic
// type-checked presets, on every TypeScript file of src/ (the tests included).
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist/", "node_modules/"] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  ...tseslint.configs.stylisticTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    // A disable comment that no longer disables anything is an error.
    linterOptions: { reportUnusedDisableDirectives: "error" },
    rules: {
      // The limit of ruff's C901 in python/pyproject.toml; eslint also counts `&&`, `||`, `??`, `?.` and default values,
      // so it is the stricter of the two. No function is over it.
      complexity: ["error", 15],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
      // node:test's test() and describe() return promises that the test runner itself awaits.
      "@typescript-eslint/no-floating-promises": [
        "error",
        { allowForKnownSafeCalls: [{ from: "package", package: "node:test", name: ["test", "describe", "it", "suite"] }] },
      ],
      // Counts, indices and sizes go into messages as they are.
      "@typescript-eslint/restrict-template-expressions": ["error", { allowNumber: true }],
      // noUncheckedIndexedAccess is on: `!` marks the index reads the code has bounds-checked (loop index, pop after a length test).
      "@typescript-eslint/no-non-null-assertion": "off",
      // `async` marks functions that implement a promise-returning interface, and turns their throws into rejections.
      "@typescript-eslint/require-await": "off",
      // `() => done()` is this code's callback style: the value of a shorthand arrow is ignored by its caller.
      "@typescript-eslint/no-confusing-void-expression": ["error", { ignoreArrowShorthand: true }],
      // `() => {}` is a deliberate no-op: an error to ignore on close, a promise that never settles.
      "@typescript-eslint/no-empty-function": ["error", { allow: ["arrowFunctions"] }],
      // `||` on strings treats an empty string as absent, as libpq does with an empty host or port.
      "@typescript-eslint/prefer-nullish-coalescing": ["error", { ignorePrimitives: { string: true } }],
    },
  },
  {
    files: ["src/test/**/*.ts"],
    rules: {
      // The codec tests need instances of a class of their own, which needs no members.
      "@typescript-eslint/no-extraneous-class": ["error", { allowEmpty: true }],
    },
  },
  {
    // The script of parity.html (in the Python package), linted from the repository root by `npm run lint`,
    // type-checked through tsconfig.page.json (checkJs, the browser's names), so no-undef would only repeat tsc.
    files: ["python/src/checkpoint_spec/parity/reports/page/*.js"],
    languageOptions: {
      parserOptions: { projectService: false, project: ["./tsconfig.page.json"], tsconfigRootDir: import.meta.dirname },
    },
    rules: { "no-undef": "off" },
  },
  {
    // This file is not part of the TypeScript project.
    files: ["eslint.config.js"],
    ...tseslint.configs.disableTypeChecked,
  },
);

import js from "@eslint/js";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: [
      "node_modules/",
      "build/",
      ".cache/",
      "prisma/generated/",
      "app/types/",
      "test-artifacts/",
      ".ci/node/",
      "sandbox/data/",
      "extensions/**/assets/",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    plugins: { "react-hooks": reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" },
      ],
      "no-console": ["error", { allow: ["warn", "error"] }],
    },
  },
  {
    // Command-line tools and the sandbox talk to a terminal.
    files: ["scripts/**", "sandbox/**", "server/**", "bench/**", "test/**"],
    rules: { "no-console": "off" },
  },
  {
    files: ["sandbox/app-bridge-standin.js", "extensions/**/*.js"],
    languageOptions: { sourceType: "script", globals: { ...globals.browser } },
  },
);

// import.meta.glob is provided by vite (through vitest) to the test files.
interface ImportMeta {
  glob<T>(pattern: string, options: { eager: true }): Record<string, T>;
}

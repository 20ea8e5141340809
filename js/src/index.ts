/** checkpoint-spec-js: run the language-neutral checkpoint spec against LangGraph JS checkpointers. */

export * from "./codec.js";
export * from "./divergences.js";
export * from "./errors.js";
export * from "./execution.js";
export * from "./files.js";
export * from "./fingerprints.js";
export * from "./loading.js";
export * from "./matching.js";
export * from "./observation.js";
export * from "./operations.js";
export * from "./references.js";
export * from "./report.js";
export * from "./selection.js";
export * from "./versions.js";
export { serve as serveDriver } from "./driver.js";
export { BUILTIN, makeTarget } from "./targets/index.js";
export type { Session, Target } from "./targets/base.js";
export { SaverSession, SaverTarget, saverCapabilities, type SaverFactory } from "./targets/saver.js";
export { jsMemory } from "./targets/memory.js";
export { checkCase, loadBundledSpec, registerSpecTests, saverTarget, type CaseVerdict, type RegisterTest, type SpecTestOptions } from "./testing.js";
export { makeSaver, type MadeSaver } from "./targets/saver.js";

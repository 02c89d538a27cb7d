/** Job archives: jars and plain modules, their manifests, safe extraction, lookup in lib/ and usrlib/. */
export * from './archive-extractor.js';
export * from './archive-hash.js';
export * from './class-path.js';
export * from './jar-inspector.js';
export * from './jar-writer.js';
export * from './job-archive-finder.js';
export * from './job-module-preparer.js';
export * from './manifest.js';
export * from './package-root.js';
export * from './plain-module.js';
export * from './zip-archive.js';

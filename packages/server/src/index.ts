// Public entry of the server package: configuration, the app builder and the starter.
export { loadConfig, ConfigError, type Config } from './config.ts';
export { buildApp } from './app.ts';
export { openDatabase } from './database.ts';
export { FolderLockedError } from './db/folder-lock.ts';
export { StoreDamagedError } from './db/integrity.ts';
export { startServer, type StartOptions } from './start.ts';

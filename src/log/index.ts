export type { LogEvent, LogLevel, Logger, NodeSummary } from './events.js';
export { createLogger, createMemoryLogger, chooseLogMode, type LogMode, type LoggerOptions, type KbootstrapLogger } from './logger.js';
export { redactString, redactDeep, REDACTED } from './redact.js';
export { colorWanted, stripAnsi } from './style.js';
export type { OutputStream } from './views.js';

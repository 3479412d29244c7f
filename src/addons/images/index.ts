/** The image check's public surface, for the addon engine. */
export { checkImages, imageCheckError } from './check.js';
export { normaliseArchitecture, platformMatches, platformString } from './platforms.js';
export type { CheckImagesOptions, ImageCheckReport, ImageProblem, ImageProblemKind, ImageResult } from './check.js';
export { formatImageRef, parseImageRef, ImageRefError } from './reference.js';
export type { ImageRef } from './reference.js';
export { RegistryClient, RegistryError } from './registry-client.js';
export type { Platform, PlatformAnswer, RegistryClientOptions, RegistryErrorCode } from './registry-client.js';
export { formatImageTable, imageCheckEvents, imageTable, IMAGE_MARK } from './table.js';
export type { ImageTable } from './table.js';

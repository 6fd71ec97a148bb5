/** The few errors callers branch on. Each message says what went wrong and how to fix it. */

/** A setting is missing or malformed. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** One knowledge file could not be read; the rest of the folder is still indexed. */
export class DocumentLoadError extends Error {
  override name = 'DocumentLoadError';
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`${path}: ${reason}`);
  }
}

/** The embedding server failed or returned vectors of the wrong shape. */
export class EmbeddingError extends Error {
  override name = 'EmbeddingError';
}

/** A saved index is missing, torn or was built differently; the message says how to rebuild. */
export class IndexError extends Error {
  override name = 'IndexError';
}

import { redact } from './redact.ts';

export interface Logger {
  info(message: string): void;
  warn(message: string): void;
}

/** A line logger that masks ID numbers, phone numbers and the configured secrets. */
export function createLogger(
  write: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
  secrets: readonly string[] = [],
): Logger {
  const emit = (level: string, message: string) =>
    write(`${new Date().toISOString()} ${level} ${redact(message, secrets)}`);
  return { info: (m) => emit('info', m), warn: (m) => emit('warn', m) };
}

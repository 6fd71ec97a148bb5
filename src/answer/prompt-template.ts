import { readFileSync } from 'node:fs';
import { ConfigError } from '../errors.ts';

/** A prompt file with {placeholders}, checked once at start-up so a typo fails early. */
export class PromptTemplate {
  private constructor(
    readonly path: string,
    private readonly text: string,
  ) {}

  static load(path: string, required: readonly string[]): PromptTemplate {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch {
      throw new ConfigError(`Prompt file ${path} is missing; restore it from the repository.`);
    }
    const missing = required.filter((name) => !text.includes(`{${name}}`));
    if (missing.length) {
      throw new ConfigError(`Prompt ${path} lacks ${missing.map((m) => `{${m}}`).join(', ')}.`);
    }
    return new PromptTemplate(path, text);
  }

  render(values: Record<string, string>): string {
    return this.text.replace(/\{(\w+)\}/gu, (whole, name: string) => values[name] ?? whole);
  }
}

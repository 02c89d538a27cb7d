import { badRequest } from '../rest-error.js';

/**
 * Splits Flink's single-string `programArgs` as a shell would for plain words: on whitespace, with
 * single or double quotes grouping a word (and removed). An unclosed quote is a 400.
 */
export function splitProgramArgs(text: string): string[] {
  const args: string[] = [];
  let current = '';
  let inWord = false;
  let quote: '"' | "'" | undefined;
  for (const char of text) {
    if (quote !== undefined) {
      if (char === quote) quote = undefined;
      else current += char;
    } else if (char === '"' || char === "'") {
      quote = char;
      inWord = true;
    } else if (/\s/.test(char)) {
      if (inWord) args.push(current);
      current = '';
      inWord = false;
    } else {
      current += char;
      inWord = true;
    }
  }
  if (quote !== undefined) throw badRequest(`Field 'programArgs' has an unclosed ${quote} quote.`);
  if (inWord) args.push(current);
  return args;
}

import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { shellJoin, shellQuote } from '../../src/ssh/shell-quote.js';

const echoBack = (word: string) => execFileSync('sh', ['-c', `printf '%s' ${shellQuote(word)}`], { encoding: 'utf8' });

describe('shellQuote', () => {
  it('leaves plain words alone', () => {
    expect(shellQuote('/boot/firmware/cmdline.txt')).toBe('/boot/firmware/cmdline.txt');
    expect(shellQuote('a=b,c:d@e%f+g')).toBe('a=b,c:d@e%f+g');
  });

  it('single-quotes anything else and escapes single quotes', () => {
    expect(shellQuote('')).toBe("''");
    expect(shellQuote('a b')).toBe("'a b'");
    expect(shellQuote("it's")).toBe("'it'\\''s'");
  });

  it.each(['', 'a b', "it's", '$(rm -rf /)', '`id`', '"$HOME"', 'a\nb', "'''", '\\', '*', ';|&<>', 'ünïcødé', '-n'])(
    'the shell gets %j back byte for byte',
    (word) => {
      expect(echoBack(word)).toBe(word);
    },
  );

  it('joins argv into one command line', () => {
    expect(shellJoin(['cp', '-p', 'a b', "c'd"])).toBe("cp -p 'a b' 'c'\\''d'");
  });
});

import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FACTS_SCRIPT } from '../../src/facts/script.js';
import { renderScriptModule, SCRIPT_SH, SCRIPT_TS } from './embed-script.js';

describe('the embedded facts script', () => {
  it('is script.sh exactly (regenerate with `npx tsx test/facts/embed-script.ts`)', () => {
    const sh = readFileSync(SCRIPT_SH, 'utf8');
    expect(FACTS_SCRIPT).toBe(sh);
    expect(readFileSync(SCRIPT_TS, 'utf8')).toBe(renderScriptModule(sh));
  });

  it.each(['dash', 'sh', 'bash'])('parses under %s -n', (shell) => {
    const args = shell === 'bash' ? ['--posix', '-n'] : ['-n'];
    const r = spawnSync(shell, args, { input: FACTS_SCRIPT, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('uses none of the tools a minbase node may lack', () => {
    const code = FACTS_SCRIPT.split('\n').filter((l) => !l.trim().startsWith('#')).join('\n');
    for (const tool of ['python', 'jq', 'perl', 'hostnamectl', 'nmcli', 'find ', 'busybox', 'readlink -f', '[[', 'local ']) {
      expect(code, tool).not.toContain(tool);
    }
  });
});

import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { parseFacts } from '../../src/facts/parse.js';
import { FACTS_SCRIPT } from '../../src/facts/script.js';

/** The facts script against this machine's real root (a Debian 12 container without systemd as PID 1). */
describe('facts script on this host', () => {
  it('prints JSON that parses into sane facts, even with systemctl failing', () => {
    const before = Date.now();
    const r = spawnSync('dash', ['-s'], { input: FACTS_SCRIPT, encoding: 'utf8', env: { ...process.env, KB_FACTS_ROOT: '' } });
    const after = Date.now();
    expect(r.status).toBe(0);
    const f = parseFacts(r.stdout, 'localhost');
    expect(f.arch).toBe(process.arch === 'x64' ? 'x86_64' : f.arch);
    expect(f.kernel).toMatch(/^\d+\.\d+/);
    expect(f.memory.totalMb).toBeGreaterThan(0);
    expect(f.memory.availableMb).toBeLessThanOrEqual(f.memory.totalMb);
    expect(f.disk.rootFreeMb).toBeGreaterThan(0);
    expect(f.clockMs).toBeGreaterThanOrEqual(before - 1000);
    expect(f.clockMs).toBeLessThanOrEqual(after + 1000);
    expect(f.interfaces.map((i) => i.name)).toContain('lo');
    expect(f.osRelease.id).toBeTruthy();
    expect(f.hostname).toBeTruthy();
    expect(f.sudoOk).toBe(process.getuid?.() === 0);
    expect([1, 2]).toContain(f.cgroup.version);
    expect(f.files['/etc/os-release']?.content).toContain('ID=');
  });
});

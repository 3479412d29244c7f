import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { ExitCode, UserError } from '../../src/errors.js';
import { cli } from './harness.js';

const COMMANDS = ['init', 'plan', 'status', 'kubeconfig', 'reset', 'remove-node', 'validate', 'schema'];
const GLOBAL_OPTIONS = ['-i, --inventory <file>', '--dry-run', '-y, --yes', '--json', '-v, --verbose', '--no-color', '-V, --version'];

describe('help and version', () => {
  it('--help lists every command and global option, with examples and exit codes', async () => {
    const { code, out } = await cli(['--help']);
    expect(code).toBe(ExitCode.ok);
    for (const c of COMMANDS) expect(out).toMatch(new RegExp(`^  ${c}\\b`, 'm'));
    for (const o of GLOBAL_OPTIONS) expect(out).toContain(o);
    expect(out).toContain('KBOOTSTRAP_INVENTORY');
    expect(out).toContain('Examples:');
    expect(out).toContain('70 internal error');
  });

  it.each(COMMANDS)('%s --help shows its description and examples', async (command) => {
    const { code, out } = await cli([command, '--help']);
    expect(code).toBe(ExitCode.ok);
    expect(out).toContain(`Usage: kbootstrap ${command}`);
    expect(out).toMatch(/Examples:\n {2}(kbootstrap|#)/);
  });

  it('shows the command options in their help', async () => {
    expect((await cli(['kubeconfig', '--help'])).out).toMatch(/--output <file>[\s\S]*--merge[\s\S]*--no-merge[\s\S]*--set-current[\s\S]*--context <name>/);
    expect((await cli(['init', '--help'])).out).toMatch(/--concurrency <n>[\s\S]*--skip-prepare[\s\S]*--skip-addons/);
    expect((await cli(['known-hosts', 'forget', '--help'])).out).toContain('kbootstrap known-hosts forget knode2');
    expect((await cli(['remove-node', '--help'])).out).toMatch(/<name>[\s\S]*--no-drain/);
  });

  it('--version prints the version from package.json', async () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    const { code, out } = await cli(['--version']);
    expect(code).toBe(ExitCode.ok);
    expect(out).toBe(`${pkg.version}\n`);
  });
});

describe('usage errors exit 2', () => {
  it.each([
    [['--bogus'], "unknown option '--bogus'"],
    [['status', '--frobnicate'], "unknown option '--frobnicate'"],
    [['deploy'], "unknown command 'deploy'"],
    [['remove-node'], "missing required argument 'name'"],
    [['init', '--concurrency', '0'], 'must be a whole number from 1 to 64'],
    [['-i'], "option '-i, --inventory <file>' argument missing"],
  ])('%j', async (args, message) => {
    const { code, err, calls } = await cli(args);
    expect(code).toBe(ExitCode.usage);
    expect(err).toContain(message);
    expect(calls).toEqual([]);
  });

  it('with no command, prints the help on stderr', async () => {
    const { code, err } = await cli([]);
    expect(code).toBe(ExitCode.usage);
    expect(err).toContain('Usage: kbootstrap');
  });
});

describe('argv → typed options', () => {
  afterEach(() => {
    delete process.env.KBOOTSTRAP_INVENTORY;
  });

  it('maps init options', async () => {
    expect((await cli(['init', '--concurrency', '3', '--skip-addons'])).calls[0]!.opts).toEqual({ concurrency: 3, skipPrepare: false, skipAddons: true });
    expect((await cli(['init'])).calls[0]!.opts).toEqual({ concurrency: undefined, skipPrepare: false, skipAddons: false });
  });

  it('maps kubeconfig options; merge stays undefined unless given', async () => {
    expect((await cli(['kubeconfig'])).calls[0]!.opts).toEqual({ output: undefined, merge: undefined, setCurrent: false, context: undefined });
    expect((await cli(['kubeconfig', '--no-merge', '-o', 'k.yaml', '--context', 'pi', '--set-current'])).calls[0]!.opts).toEqual({
      output: 'k.yaml',
      merge: false,
      setCurrent: true,
      context: 'pi',
    });
    expect((await cli(['kubeconfig', '--merge'])).calls[0]!.opts).toMatchObject({ merge: true });
  });

  it('maps reset, remove-node and validate --strict', async () => {
    expect((await cli(['known-hosts', 'forget', 'knode2'])).calls[0]).toMatchObject({ name: 'forgetHostKey', opts: { node: 'knode2' } });
    expect((await cli(['remove-node', 'knode3'])).calls[0]).toMatchObject({ name: 'removeNode', opts: { name: 'knode3', drain: true } });
    expect((await cli(['remove-node', 'knode3', '--no-drain'])).calls[0]!.opts).toEqual({ name: 'knode3', drain: false });
    expect((await cli(['validate'])).calls[0]!.opts).toEqual({ strict: false });
    expect((await cli(['validate', '--strict'])).calls[0]!.opts).toEqual({ strict: true });
  });

  it('accepts global options before or after the command', async () => {
    const before = (await cli(['-i', 'a.yaml', '--dry-run', '--json', 'plan'])).calls[0]!.ctx.options;
    const after = (await cli(['plan', '-i', 'a.yaml', '--dry-run', '--json'])).calls[0]!.ctx.options;
    expect(before).toEqual(after);
    expect(before).toEqual({ inventory: 'a.yaml', dryRun: true, yes: false, json: true, verbose: false, color: false, interactive: false });
  });

  it('defaults the inventory to kbootstrap.yaml, or $KBOOTSTRAP_INVENTORY', async () => {
    expect((await cli(['status'])).calls[0]!.ctx.options.inventory).toBe('kbootstrap.yaml');
    process.env.KBOOTSTRAP_INVENTORY = 'from-env.yaml';
    expect((await cli(['status'])).calls[0]!.ctx.options.inventory).toBe('from-env.yaml');
    expect((await cli(['status', '-i', 'flag.yaml'])).calls[0]!.ctx.options.inventory).toBe('flag.yaml');
  });

  it('is interactive only on a terminal without --yes and --json; colour follows --no-color and NO_COLOR', async () => {
    expect((await cli(['status'], { tty: true })).calls[0]!.ctx.options).toMatchObject({ interactive: true, color: true });
    expect((await cli(['status', '--yes'], { tty: true })).calls[0]!.ctx.options).toMatchObject({ interactive: false, yes: true });
    expect((await cli(['status', '--json'], { tty: true })).calls[0]!.ctx.options.interactive).toBe(false);
    expect((await cli(['status'])).calls[0]!.ctx.options).toMatchObject({ interactive: false, color: false });
    expect((await cli(['status', '--no-color'], { tty: true })).calls[0]!.ctx.options.color).toBe(false);
    expect((await cli(['status'], { tty: true, env: { NO_COLOR: '1' } })).calls[0]!.ctx.options.color).toBe(false);
  });
});

describe('exit codes and the top-level catch', () => {
  it('returns the action exit code (3: some nodes failed)', async () => {
    expect((await cli(['init'], { actions: { init: async () => ExitCode.partialFailure } })).code).toBe(3);
  });

  it('turns a UserError into error / at / hint lines and exit 1', async () => {
    const { code, err, out } = await cli(['status'], {
      actions: {
        status: async () => {
          throw new UserError('cannot reach 192.168.2.50:22', { where: { node: 'kmaster', file: 'kb.yaml', line: 9, column: 14 }, hint: 'is the Pi powered on?' });
        },
      },
    });
    expect(code).toBe(ExitCode.userError);
    expect(out).toBe('');
    expect(err.split('\n')).toEqual(['[kmaster] error: cannot reach 192.168.2.50:22', '  at kb.yaml:9:14', 'hint: is the Pi powered on?', '']);
  });

  it('keeps the exit code a UserError carries', async () => {
    const { code } = await cli(['init'], { actions: { init: async () => Promise.reject(new UserError('2 of 4 nodes failed', { exitCode: ExitCode.partialFailure })) } });
    expect(code).toBe(ExitCode.partialFailure);
  });

  it('reports anything else as an internal error, exit 70, stack only with --verbose', async () => {
    const boom = async () => {
      throw new TypeError('cannot read properties of undefined');
    };
    const quiet = await cli(['plan'], { actions: { plan: boom } });
    expect(quiet.code).toBe(ExitCode.internal);
    expect(quiet.err).toContain('error: internal error: cannot read properties of undefined');
    expect(quiet.err).toContain('--verbose');
    expect(quiet.err).not.toMatch(/\n\s+at /);
    const loud = await cli(['plan', '--verbose'], { actions: { plan: boom } });
    expect(loud.code).toBe(ExitCode.internal);
    expect(loud.err).toMatch(/TypeError: cannot read properties of undefined\n\s+at /);
  });

  it('with --json, the error is a JSON line on stdout and stderr stays empty', async () => {
    const { code, out, err } = await cli(['status', '--json'], { actions: { status: async () => Promise.reject(new UserError('no inventory', { hint: 'run init' })) } });
    expect(code).toBe(ExitCode.userError);
    expect(err).toBe('');
    expect(JSON.parse(out.trim())).toMatchObject({ kind: 'error', message: 'no inventory', hint: 'run init', exitCode: 1 });
  });

  it('never prints a registered secret, even inside an error message', async () => {
    const { err } = await cli(['init'], {
      actions: {
        init: async (ctx) => {
          ctx.log.addSecret('K10secret-token::server:abc');
          throw new UserError('join failed: K10secret-token::server:abc rejected');
        },
      },
    });
    expect(err).toContain('join failed: *** rejected');
    expect(err).not.toContain('K10secret');
  });
});

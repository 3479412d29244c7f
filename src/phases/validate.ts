import { UserError } from '../errors.js';
import { validateFleet } from '../validate/fleet.js';
import { probeStaticIps } from '../validate/ip-probe.js';
import type { Phase } from './manager.js';
import { requireFacts, requireTransport, type RunContext } from './context.js';

/**
 * Checks the whole fleet before anything changes (cloned SD cards, unsupported OS, clock skew, ...)
 * and reports every problem on every node at once. Errors stop the run; warnings are shown.
 */
export const validatePhase: Phase = {
  title: 'Validate nodes',
  async run(ctx: RunContext, nodes) {
    const entries = nodes.map((s) => ({ node: s.node, facts: requireFacts(s), clockWindowMs: s.factsWindow }));
    const transports = new Map(nodes.map((s) => [s.node.name, requireTransport(s)]));
    const problems = validateFleet(entries, ctx.inventory, await probeStaticIps(entries, transports));
    for (const p of problems) {
      ctx.log.emit({ kind: 'message', level: p.severity === 'error' ? 'error' : 'warn', node: p.node, text: p.hint ? `${p.message} (hint: ${p.hint})` : p.message });
    }
    const errors = problems.filter((p) => p.severity === 'error');
    if (errors.length > 0) {
      const names = [...new Set(errors.map((p) => p.node))].join(', ');
      throw new UserError(`${errors.length} problem(s) found on ${names} before any change was made; nothing was changed`, {
        hint: 'fix the problems listed above and run again',
      });
    }
  },
};

import type { Ora } from 'ora';
import type { LogEvent } from './events.js';
import { formatEvent, nodeTag, prefixLines } from './format.js';
import type { Style } from './style.js';
import type { LogView, ViewStreams } from './views.js';

type Step = Extract<LogEvent, { kind: 'node-step' }>;

/**
 * The live terminal view: one spinner line per node and phase while a step runs, replaced by a
 * ✔ / ✖ line when it ends. Steps of several nodes run at once, so a single ora spinner carries all
 * running lines (ora supports one spinner per stream). Without a usable terminal there is no spinner:
 * a `…` line when a step starts and a ✔ / ✖ line when it ends, a readable log.
 */
export function createTtyView(streams: ViewStreams, opts: { verbose: boolean; style: Style; color: boolean; spinnerEnabled?: boolean }): LogView {
  const { style, verbose } = opts;
  const running = new Map<string, string>();
  let spinner: Ora | undefined;

  const stepLine = (e: Step) => `${nodeTag(e.node, style)}${e.phase}: ${e.text}`;
  // A pseudo-terminal that reports 0 columns sends ora's line counting to infinity: no spinner there.
  const spinnerOn = opts.spinnerEnabled ?? (streams.out.isTTY === true && (streams.out.columns ?? 0) > 0);
  // ora is loaded only for a terminal that shows a spinner (not for --json, pipes or logs), and without
  // holding up the start: until it is there the running lines wait, then it draws them.
  let makeSpinner: typeof import('ora').default | undefined;
  if (spinnerOn) {
    void import('ora').then((m) => {
      makeSpinner = m.default;
      refreshSpinner();
    });
  }

  function refreshSpinner(): void {
    if (running.size === 0) {
      spinner?.stop();
      return;
    }
    // The spinner frame precedes the first line; the others are indented to line up with it.
    const text = [...running.values()].map((line, i) => (i === 0 ? line : '  ' + line)).join('\n');
    if (!spinner) {
      if (!makeSpinner) return;
      spinner = makeSpinner({
        stream: streams.out as NodeJS.WritableStream,
        color: opts.color ? 'cyan' : false,
        discardStdin: false,
        isEnabled: true,
      });
    }
    spinner.text = text;
    if (!spinner.isSpinning) spinner.start();
  }

  function finishStep(e: Step): void {
    running.delete(`${e.node}\u0000${e.phase}`);
    const symbol = {
      done: style.green('✔'),
      failed: style.red('✖'),
      planned: style.yellow('◆'),
      unchanged: style.dim('·'),
      running: '',
    }[e.status];
    const suffix = e.status === 'planned' ? style.yellow(' (planned)') : e.status === 'unchanged' ? style.dim(' (unchanged)') : '';
    const lines = [`${symbol} ${stepLine(e)}${suffix}`];
    if (e.detail) lines.push(...prefixLines(e.detail, '  ' + nodeTag(e.node, style) + '  '));
    // Spinner first, so the redraw under the finished line shows only the steps still running.
    refreshSpinner();
    write(e.status === 'failed' ? 'err' : 'out', lines);
  }

  function write(stream: 'out' | 'err', lines: string[]): void {
    if (lines.length === 0) return;
    // ora hooks the stream while spinning: it clears the spinner, lets this through, redraws below.
    streams[stream].write(lines.join('\n') + '\n');
  }

  return {
    render(event) {
      if (event.kind === 'node-step') {
        if (event.status === 'running') {
          if (!spinnerOn) return write('out', [`${style.dim('…')} ${stepLine(event)}`]);
          running.set(`${event.node}\u0000${event.phase}`, stepLine(event));
          refreshSpinner();
        } else {
          finishStep(event);
        }
        return;
      }
      const { lines, stream } = formatEvent(event, { style, verbose });
      write(stream, lines);
    },
    close() {
      spinner?.stop();
      running.clear();
    },
  };
}

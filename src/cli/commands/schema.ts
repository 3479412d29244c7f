import { ExitCode } from '../../errors.js';
import { inventoryJsonSchema } from '../../inventory/index.js';
import type { CommandContext, SchemaOptions } from '../../actions/options.js';

/** `kbootstrap schema`: the inventory JSON Schema on stdout (with --json: inside a result event). */
export async function schemaAction(ctx: CommandContext, _opts: SchemaOptions = {}): Promise<ExitCode> {
  const schema = inventoryJsonSchema();
  if (ctx.options.json) ctx.log.emit({ kind: 'result', command: 'schema', data: schema });
  else ctx.log.emit({ kind: 'message', level: 'info', text: JSON.stringify(schema, null, 2) });
  return ExitCode.ok;
}

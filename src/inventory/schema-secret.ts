import * as z from 'zod';

/** A literal string where a secret reference belongs gets a message that says how to fix it. */
const secretError = (iss: { code?: string; input?: unknown }): string | undefined =>
  iss.code === 'invalid_type' && (typeof iss.input === 'string' || typeof iss.input === 'number')
    ? 'a secret may not be written in the inventory: give { env: VARIABLE } or { file: path }'
    : undefined;

export const SecretRefSchema = z
  .strictObject(
    {
      env: z.string().min(1).optional().describe('Name of an environment variable that holds the secret.'),
      file: z.string().min(1).optional().describe('Path of a file whose content (trimmed) is the secret; relative to the inventory, ~ is expanded. Keep it mode 0600.'),
    },
    { error: secretError },
  )
  .refine((ref) => (ref.env === undefined) !== (ref.file === undefined), { message: 'give exactly one of `env` or `file`' })
  .describe('Where a secret comes from: an environment variable or a file. Never the inventory itself.');

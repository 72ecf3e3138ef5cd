import type { FastifyReply } from 'fastify';
import { Problem } from './problem.js';
import { isForeignKeyViolation } from '../polls/routes.js';

/** OpenAPI security of routes that read with or without a participant token. */
export const optionalParticipant: Array<Record<string, string[]>> = [{}, { participant: [] }];
/** OpenAPI security of routes that need a participant token. */
export const participantOnly = [{ participant: [] }];

/** A participant who no longer exists (erased) cannot write: their row is gone. */
export async function asParticipant<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (isForeignKeyViolation(error)) throw new Problem(401, 'unauthorised', 'This participant no longer exists; start a new session.');
    throw error;
  }
}

/** Says on the response that it is the stored answer to an earlier request with the same key. */
export function markReplayed(reply: FastifyReply, result: { replayed: boolean }): void {
  if (result.replayed) reply.header('idempotent-replayed', 'true');
}

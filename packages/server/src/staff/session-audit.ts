import type { Services } from '../app.js';
import type { Problem } from '../http/problem.js';
import { KEY_ACTOR, type Actor } from './guard.js';

/* Sign-ins and sign-outs in the audit log, beside the admin actions. */

/** Who signed in or out, in the audit log: the staff member is both the actor and the subject. */
export async function recordSession(
  services: Services,
  who: Pick<Actor, 'id' | 'label' | 'name'>,
  action: string,
  details: Record<string, unknown> = {},
): Promise<void> {
  const actor = { ...KEY_ACTOR, ...who, owner: `staff:${who.id}` };
  await services.staff.queue.run((trx) =>
    services.audit.record(trx, { at: new Date(services.console.now()).toISOString(), actor, action, subjectKind: 'staff', subjectId: String(who.id), details }),
  );
}

/** A refused sign-in of an account: by whom is unknown, so the server records it. */
export async function recordRefusal(services: Services, staffId: number, refusal: Problem): Promise<void> {
  const reason = refusal.status === 429 ? 'too many attempts' : refusal.errors?.some((error) => error.field === 'code') ? 'second factor' : 'credentials';
  await services.staff.queue.run((trx) =>
    services.audit.record(trx, {
      at: new Date(services.console.now()).toISOString(),
      actor: 'system',
      action: 'staff.sign-in-refused',
      subjectKind: 'staff',
      subjectId: String(staffId),
      details: { reason },
    }),
  );
}

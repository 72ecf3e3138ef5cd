import { Type, type Static } from 'typebox';
import { IsoDateTime } from '../http/schemas.js';
import { PASSWORD_MAX_LENGTH } from './passwords.js';
import { ROLES, SCOPE_PATTERN } from './permissions.js';

export const RoleSchema = Type.Enum([...ROLES]);
const Email = Type.String({ minLength: 3, maxLength: 254, pattern: '^[^\\s@]+@[^\\s@]+$' });
const StaffName = Type.String({ minLength: 1, maxLength: 120 });
const Scopes = Type.Array(Type.String({ pattern: SCOPE_PATTERN, maxLength: 130 }), {
  maxItems: 100,
  description: 'Spaces the role is limited to, as `kind:id` (kinds: polls, ideas, maps, threads, trackers); empty or absent for the whole council.',
});

export const StaffMemberSchema = Type.Object({
  id: Type.Integer(),
  email: Type.String(),
  name: Type.String(),
  role: RoleSchema,
  scopes: Type.Array(Type.String()),
  disabled: Type.Boolean(),
  /** False until the invitation is accepted. */
  active: Type.Boolean(),
  totp: Type.Boolean(),
  createdAt: IsoDateTime,
  lastSignInAt: Type.Optional(IsoDateTime),
});

export const OneTimeLinkSchema = Type.Object({
  url: Type.String({ description: 'The one-time link to hand to the staff member.' }),
  expiresAt: IsoDateTime,
});

export const StaffCreateSchema = Type.Object({ email: Email, name: StaffName, role: RoleSchema, scopes: Type.Optional(Scopes) }, { additionalProperties: false });
export const StaffPatchSchema = Type.Object(
  { name: Type.Optional(StaffName), role: Type.Optional(RoleSchema), scopes: Type.Optional(Scopes), disabled: Type.Optional(Type.Boolean()) },
  { additionalProperties: false, minProperties: 1 },
);
export const StaffParams = Type.Object({ id: Type.String({ pattern: '^[1-9][0-9]{0,14}$' }) });

export const SignInSchema = Type.Object(
  {
    email: Email,
    password: Type.String({ minLength: 1, maxLength: PASSWORD_MAX_LENGTH }),
    code: Type.Optional(Type.String({ minLength: 6, maxLength: 20, description: 'A TOTP code, or a recovery code, where two-step sign-in is on.' })),
  },
  { additionalProperties: false },
);
export const SetPasswordSchema = Type.Object(
  { token: Type.String({ minLength: 20, maxLength: 100, pattern: '^[A-Za-z0-9_-]{20,100}$' }), password: Type.String({ minLength: 1, maxLength: PASSWORD_MAX_LENGTH }) },
  { additionalProperties: false },
);
export const ConsoleSessionSchema = Type.Object({
  staff: StaffMemberSchema,
  csrfToken: Type.String({ description: 'Send it back in X-CSRF-Token with every change.' }),
  expiresAt: IsoDateTime,
  idleTimeoutS: Type.Integer(),
});
export const TotpEnrolmentSchema = Type.Object({ secret: Type.String(), uri: Type.String({ description: 'otpauth://totp/… for a QR code.' }) });
export const TotpConfirmSchema = Type.Object({ code: Type.String({ pattern: '^[0-9]{6}$' }) }, { additionalProperties: false });
export const RecoveryCodesSchema = Type.Object({ recoveryCodes: Type.Array(Type.String(), { description: 'Ten one-time codes, shown this once.' }) });

export type StaffCreate = Static<typeof StaffCreateSchema>;
export type StaffPatch = Static<typeof StaffPatchSchema>;

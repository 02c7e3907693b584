/**
 * The handoff form's checks, the same as the server's (`Contact` in api/schemas.py): every
 * field optional; an email of the usual shape; a phone number of digits (at least three), with
 * an optional leading + and spaces, dashes, dots, slashes or brackets between them.
 */
import type { Contact } from '../../../lib/protocol';

export const NOTE_MAX = 2000;
export const NAME_MAX = 200;
export const EMAIL_MAX = 254;
export const PHONE_MAX = 40;

const EMAIL = /^[^@\s]{1,64}@[^@\s]+\.[^@\s]+$/;
const PHONE = /^\+?[0-9 ()./-]{3,40}$/;

export type ContactProblem = 'email' | 'phone';

/** The fields that are filled in but not valid, in form order. */
export function contactProblems(contact: Contact): ContactProblem[] {
  const problems: ContactProblem[] = [];
  const email = contact.email?.trim() ?? '';
  const phone = contact.phone?.trim() ?? '';
  if (email && (email.length > EMAIL_MAX || !EMAIL.test(email))) problems.push('email');
  if (phone && (!PHONE.test(phone) || (phone.match(/[0-9]/g)?.length ?? 0) < 3)) problems.push('phone');
  return problems;
}

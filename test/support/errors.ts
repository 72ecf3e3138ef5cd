import { expect } from '@open-wc/testing';
import { CivicError, type CivicErrorKind } from '../../packages/core/src/contract/errors.js';

/** The CivicError `promise` rejects with, after checking that it is of `kind`. */
export async function expectKind(promise: Promise<unknown>, kind: CivicErrorKind): Promise<CivicError> {
  let error: unknown;
  try {
    await promise;
  } catch (caught) {
    error = caught;
  }
  expect(error, `expected a ${kind} rejection`).to.be.instanceOf(CivicError);
  const civic = error as CivicError;
  expect(civic.kind, civic.message).to.equal(kind);
  return civic;
}

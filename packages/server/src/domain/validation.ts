import { DomainError, type FieldIssue } from './errors.js';

/** Issues as one sentence, `field: message; field: message`, for an error's message. */
export function describeIssues(issues: readonly FieldIssue[]): string {
  return issues.map((i) => `${i.field}: ${i.message}`).join('; ');
}

/** Every use case validates its input this way: all the issues at once, as one `bad_request` listing the fields. */
export function throwIfInvalid(issues: readonly FieldIssue[]): void {
  if (issues.length === 0) return;
  throw new DomainError('bad_request', describeIssues(issues), { fields: issues });
}

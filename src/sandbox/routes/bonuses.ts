/**
 * `/user-bonuses` as Toloka serves it: one bonus or an array, synchronously (≤100) or as a
 * USER_BONUS.BATCH_CREATE operation under the caller's operation_id; the requester's balance
 * falls by every bonus issued, and a request the balance cannot cover is Toloka's 409.
 */
import { UserBonusForm, type OperationLogItem, type UserBonus } from '../../toloka/models';
import { ApiError, conflict, notFound, validationFailed, type FieldErrors } from '../apiError';
import { listGeneric } from '../listing';
import { now, type SandboxState } from '../state';
import { tolokerData } from '../tolokerState';
import { zodToFieldErrors } from '../validation';
import { created, ok, type RouteContext } from './context';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Which Tolokers exist: the simulated crowd and anyone who has an assignment. */
export type KnownToloker = (userId: string) => boolean;

type Checked = { bonus: UserBonusForm } | { errors: FieldErrors };

function check(state: SandboxState, known: KnownToloker, raw: unknown): Checked {
  const parsed = UserBonusForm.safeParse(raw);
  if (!parsed.success) return { errors: zodToFieldErrors(parsed.error, raw) };
  const bonus = parsed.data;
  if (!known(bonus.user_id)) return { errors: { user_id: { code: 'ENTITY_DOES_NOT_EXIST', message: `There is no Toloker ${bonus.user_id}` } } };
  if (bonus.assignment_id !== undefined) {
    const a = state.findAssignment(bonus.assignment_id);
    if (!a) return { errors: { assignment_id: { code: 'ENTITY_DOES_NOT_EXIST', message: `There is no assignment ${bonus.assignment_id}` } } };
    if (a.user_id !== bonus.user_id) return { errors: { assignment_id: { code: 'INVALID_VALUE', message: `Assignment ${bonus.assignment_id} was done by another Toloker` } } };
  }
  if (bonus.without_message !== true && (!bonus.public_title || !bonus.public_message)) {
    return { errors: { [bonus.public_title ? 'public_message' : 'public_title']: { code: 'VALUE_REQUIRED', message: 'Value must be present and not equal to null (or set without_message: true)' } } };
  }
  return { bonus };
}

/** The same Toloker, amount, title, message and comment twice in one request: Toloka's 409. */
function duplicateOf(bonuses: readonly UserBonusForm[]): number | undefined {
  const seen = new Set<string>();
  for (let i = 0; i < bonuses.length; i++) {
    const b = bonuses[i] as UserBonusForm;
    const key = JSON.stringify([b.user_id, b.amount, b.public_title ?? null, b.public_message ?? null, b.private_comment ?? null]);
    if (seen.has(key)) return i;
    seen.add(key);
  }
  return undefined;
}

const cents = (n: number): number => Math.round(n * 1000) / 1000;

function requireBalance(state: SandboxState, total: number): void {
  if (total > state.requester.balance + 1e-9) {
    throw conflict('NOT_ENOUGH_BALANCE', `Not enough money on the account: the bonuses total $${cents(total)}, the balance is $${cents(state.requester.balance)}`, { balance: state.requester.balance, required: cents(total) });
  }
}

function issue(state: SandboxState, bonus: UserBonusForm): UserBonus & { id: string; created: string } {
  const d = tolokerData(state);
  const id = String(10_000 + ++d.bonusCounter);
  const rec = { ...bonus, id, created: now() };
  d.bonuses.set(id, rec);
  state.requester.balance = cents(state.requester.balance - bonus.amount);
  return rec;
}

export function registerBonusRoutes({ router, state, ops }: RouteContext, known: KnownToloker): void {
  router.on('POST', '/api/v1/user-bonuses', ({ query, body }) => {
    const skipInvalid = query.get('skip_invalid_items') === 'true';
    const list: unknown[] = Array.isArray(body) ? body : [body];
    const asyncMode = query.get('async_mode') === 'true';
    const operationId = query.get('operation_id') ?? undefined;
    if (operationId !== undefined && !UUID.test(operationId)) throw validationFailed({ operation_id: { code: 'UUID_EXPECTED', message: 'Value must be a UUID' } });
    if (!asyncMode && list.length > 100) throw new ApiError(413, 'ENTITY_TOO_LARGE', 'A synchronous request takes at most 100 bonuses; use async_mode=true');
    const checked = list.map((raw) => check(state, known, raw));
    const valid = checked.flatMap((c) => ('bonus' in c ? [c.bonus] : []));
    const dup = duplicateOf(valid);
    if (dup !== undefined) {
      throw conflict('ENTITY_CONFLICT', 'It is not allowed to apply multiple bonuses with the same amount, title, message and comment to same Toloker in single operation', {
        user_id: { code: 'ENTITY_CONFLICT', message: 'It is not allowed to apply multiple bonuses with the same amount, title, message and comment to same Toloker in single operation' },
      });
    }
    const errors: Record<string, FieldErrors> = {};
    checked.forEach((c, i) => {
      if ('errors' in c) errors[String(i)] = c.errors;
    });
    const invalid = Object.keys(errors).length;
    if (!asyncMode) {
      if (!Array.isArray(body)) {
        const only = checked[0] as Checked;
        if ('errors' in only) throw validationFailed(only.errors);
        requireBalance(state, only.bonus.amount);
        return created(issue(state, only.bonus));
      }
      if (invalid > 0 && !skipInvalid) throw validationFailed(errors as unknown as FieldErrors);
      requireBalance(state, valid.reduce((s, b) => s + b.amount, 0));
      const items: Record<string, unknown> = {};
      checked.forEach((c, i) => {
        if ('bonus' in c) items[String(i)] = issue(state, c.bonus);
      });
      return created(skipInvalid ? { items, validation_errors: errors } : { items });
    }
    // Asynchronous: the balance must cover the valid bonuses when the request is taken.
    if (invalid === 0 || skipInvalid) requireBalance(state, valid.reduce((s, b) => s + b.amount, 0));
    const log: OperationLogItem[] = [];
    const op = ops.start('USER_BONUS.BATCH_CREATE', { skip_invalid_items: skipInvalid }, () => {
      if (invalid > 0 && !skipInvalid) {
        checked.forEach((c, i) => {
          if ('errors' in c) log.push({ type: 'USER_BONUS_VALIDATE', success: false, input: list[i] as Record<string, unknown>, output: c.errors });
        });
        throw new Error(`${invalid} invalid bonus(es); none was issued`);
      }
      let issued = 0;
      checked.forEach((c, i) => {
        const input = list[i] as Record<string, unknown>;
        if ('errors' in c) {
          log.push({ type: 'USER_BONUS_VALIDATE', success: false, input, output: c.errors });
          return;
        }
        if (c.bonus.amount > state.requester.balance + 1e-9) {
          log.push({ type: 'USER_BONUS_VALIDATE', success: false, input, output: { amount: { code: 'NOT_ENOUGH_BALANCE', message: 'Not enough money on the account' } } });
          return;
        }
        log.push({ type: 'USER_BONUS_PERSIST', success: true, input, output: { user_bonus_id: issue(state, c.bonus).id } });
        issued++;
      });
      return { total_count: list.length, valid_count: list.length - invalid, not_valid_count: invalid, success_count: issued, failed_count: list.length - issued };
    }, { ...(operationId ? { id: operationId } : {}), log });
    return created(op.api);
  });

  router.on('GET', '/api/v1/user-bonuses', ({ query }) => {
    const match = (b: UserBonus, key: 'user_id' | 'assignment_id' | 'private_comment'): boolean => !query.get(key) || b[key] === query.get(key);
    return ok(listGeneric(tolokerData(state).bonuses.values(), query, {
      sortable: ['id', 'created'],
      ranges: ['id', 'created'],
      maxLimit: 300,
      where: (b) => match(b, 'user_id') && match(b, 'assignment_id') && match(b, 'private_comment'),
    }));
  });

  router.on('GET', '/api/v1/user-bonuses/:id', ({ params }) => {
    const b = tolokerData(state).bonuses.get(params['id'] ?? '');
    if (!b) throw notFound();
    return ok(b);
  });
}

import { Skill } from '../../toloka/models';
import { notFound } from '../apiError';
import { listGeneric } from '../listing';
import { now } from '../state';
import { parseBody } from '../validation';
import { created, ok, type RouteContext } from './context';
import { registerUserSkillRoutes } from './userSkills';

/** Fields of a skill that Toloka sets and a PUT does not change. */
const SKILL_SERVER_FIELDS = ['id', 'created', 'training', 'global', 'owner'] as const;

export function registerSkillRoutes(ctx: RouteContext): void {
  const { router, state } = ctx;
  router.on('GET', '/api/v1/skills', ({ query }) =>
    ok(listGeneric(state.skills.values(), query, { sortable: ['id', 'created'], ranges: ['id', 'created'], maxLimit: 100, where: (s) => !query.get('name') || s.name === query.get('name') })));

  router.on('GET', '/api/v1/skills/:id', ({ params }) => {
    const s = state.skills.get(params['id'] ?? '');
    if (!s) throw notFound();
    return ok(s);
  });

  router.on('POST', '/api/v1/skills', ({ body }) => {
    const input = parseBody(Skill, body);
    const id = state.nextSkillId();
    const skill = { hidden: true, ...input, id, created: now(), training: false, global: false };
    state.skills.set(id, skill);
    return created(skill);
  });

  // A full replacement of what the requester sets; what Toloka set stays.
  router.on('PUT', '/api/v1/skills/:id', ({ params, body }) => {
    const current = state.skills.get(params['id'] ?? '');
    if (!current) throw notFound();
    const input = parseBody(Skill, body);
    const kept = Object.fromEntries(SKILL_SERVER_FIELDS.filter((k) => current[k] !== undefined).map((k) => [k, current[k]]));
    const skill = { hidden: true, ...input, ...kept, id: current.id };
    state.skills.set(current.id, skill);
    return ok(skill);
  });

  registerUserSkillRoutes(ctx);
}

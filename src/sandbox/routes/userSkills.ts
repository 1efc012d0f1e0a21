/** `/user-skills`: the skills Tolokers have (set by quality-control rules, a training, or the requester). */
import { SetUserSkill } from '../../toloka/models/userSkill';
import { notFound } from '../apiError';
import { listGeneric } from '../listing';
import { liveQc } from '../qc/live';
import { parseBody } from '../validation';
import { noContent, ok, type RouteContext } from './context';


export function registerUserSkillRoutes({ router, state }: RouteContext): void {
  const qc = liveQc(state);
  const byId = (id: string) => [...qc.userSkills.values()].find((s) => s.id === id);

  router.on('GET', '/api/v1/user-skills', ({ query }) =>
    ok(listGeneric(qc.userSkills.values(), query, {
      sortable: ['id', 'created', 'modified'],
      ranges: ['id', 'created', 'modified'],
      maxLimit: 1000,
      where: (s) => (!query.get('user_id') || s.user_id === query.get('user_id')) && (!query.get('skill_id') || s.skill_id === query.get('skill_id')),
    })));

  router.on('GET', '/api/v1/user-skills/:id', ({ params }) => {
    const s = byId(params['id'] ?? '');
    if (!s) throw notFound();
    return ok(s);
  });

  router.on('PUT', '/api/v1/user-skills', ({ body }) => {
    const input = parseBody(SetUserSkill, body);
    if (!state.skills.has(input.skill_id)) throw notFound();
    return ok(qc.setSkill(input.user_id, input.skill_id, input.value));
  });

  router.on('DELETE', '/api/v1/user-skills/:id', ({ params }) => {
    const s = byId(params['id'] ?? '');
    if (!s) throw notFound();
    qc.userSkills.delete(`${s.user_id}/${s.skill_id}`);
    state.touch();
    return noContent();
  });
}

import { ruleInputSchema, ruleUpdateSchema } from './rules';

const valid = {
  name: 'Refunds to billing',
  triggers: ['message.created'],
  conditions: { all: [{ field: 'keywords', op: 'any', words: ['refund', 'remboursement'] }] },
  actions: [{ type: 'add_tag', tag: 'refund' }],
};

/** The path of the first problem, as the API names it in `field`. */
function firstProblem(input: unknown): string | undefined {
  const result = ruleInputSchema.safeParse(input);
  if (result.success) return undefined;
  const issue = result.error.issues[0];
  return issue ? [...issue.path.map(String), ...(issue.code === 'unrecognized_keys' ? issue.keys.slice(0, 1) : [])].join('.') : '';
}

describe('rule schema', () => {
  it('accepts a rule and fills the defaults', () => {
    expect(ruleInputSchema.parse(valid)).toMatchObject({ active: true, stopProcessing: false, conditions: { all: [expect.objectContaining({ field: 'keywords' })], any: [] } });
  });

  it('names the field of a condition that cannot be evaluated', () => {
    expect(firstProblem({ ...valid, conditions: { all: [{ field: 'mood', op: 'is', value: 'angry' }] } })).toBe('conditions.all.0.field');
    expect(firstProblem({ ...valid, conditions: { any: [{ field: 'priority', op: 'above', values: ['high'] }] } })).toBe('conditions.any.0.op');
    expect(firstProblem({ ...valid, conditions: { all: [{ field: 'text', op: 'matches', pattern: '(unclosed' }] } })).toBe('conditions.all.0.pattern');
    expect(firstProblem({ ...valid, conditions: { all: [{ field: 'keywords', op: 'any', words: ['ok', '!!!'] }] } })).toBe('conditions.all.0.words.1');
    expect(firstProblem({ ...valid, conditions: { all: [{ field: 'language', op: 'in' }] } })).toBe('conditions.all.0.values');
    expect(firstProblem({ ...valid, conditions: { all: [{ field: 'language', op: 'in', values: ['english'] }] } })).toBe('conditions.all.0.values.0');
    expect(firstProblem({ ...valid, conditions: { all: [{ field: 'authorFollowers', op: 'gte', value: -1 }] } })).toBe('conditions.all.0.value');
    expect(firstProblem({ ...valid, conditions: { all: [{ field: 'channel', op: 'in', channelIds: ['nope'] }] } })).toBe('conditions.all.0.channelIds.0');
    expect(firstProblem({ ...valid, conditions: { all: [{ field: 'status', op: 'in', values: ['open'], extra: 1 }] } })).toBe('conditions.all.0.extra');
    expect(firstProblem({ ...valid, conditions: { every: [] } })).toBe('conditions.every');
  });

  it('names the field of an action that cannot run', () => {
    expect(firstProblem({ ...valid, actions: [] })).toBe('actions');
    expect(firstProblem({ ...valid, actions: [{ type: 'hand_to_bot' }] })).toBe('actions.0.type');
    expect(firstProblem({ ...valid, actions: [{ type: 'assign_team', teamId: 'billing' }] })).toBe('actions.0.teamId');
    expect(firstProblem({ ...valid, actions: [{ type: 'public_reply', text: 'Thanks {{agent_name}}' }] })).toBe('actions.0.text');
    expect(firstProblem({ ...valid, actions: [{ type: 'public_reply', text: 'Hi {{first_name}}, we are on it' }, { type: 'move_to_private', publicText: 'a', privateText: 'b' }] })).toBe('actions.1.type');
    expect(firstProblem({ ...valid, actions: [{ type: 'set_priority', priority: 'high' }, { type: 'set_priority', priority: 'low' }] })).toBe('actions.1.type');
  });

  it('names bad triggers, and accepts a partial update', () => {
    expect(firstProblem({ ...valid, triggers: [] })).toBe('triggers');
    expect(firstProblem({ ...valid, triggers: ['ticket.solved'] })).toBe('triggers.0');
    expect(firstProblem({ ...valid, triggers: ['ticket.created', 'ticket.created'] })).toBe('triggers');
    expect(ruleUpdateSchema.parse({ active: false })).toEqual({ active: false });
  });
});

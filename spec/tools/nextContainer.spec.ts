import { nextContainer } from '../../lib/tools/nextContainer';

const skills = [{ type: 'anthropic', skill_id: 'pdf' }];

describe('nextContainer', () => {
  it.each([
    ['no container, none returned', undefined, undefined, undefined, { container: undefined, adoptedId: undefined }],
    ['no container, one returned', undefined, undefined, 'c_1', { container: 'c_1', adoptedId: 'c_1' }],
    ['null, one returned', null, undefined, 'c_1', { container: 'c_1', adoptedId: 'c_1' }],
    ["the caller's id", 'mine', undefined, 'c_1', { container: 'mine', adoptedId: undefined }],
    ['an adopted id, a newer one returned', 'c_1', 'c_1', 'c_2', { container: 'c_2', adoptedId: 'c_2' }],
    ['an adopted id, none returned', 'c_1', 'c_1', undefined, { container: 'c_1', adoptedId: 'c_1' }],
    ['skills without an id', { skills }, undefined, 'c_1', { container: { skills, id: 'c_1' }, adoptedId: 'c_1' }],
    ['skills with a null id', { id: null, skills }, undefined, 'c_1', { container: { id: 'c_1', skills }, adoptedId: 'c_1' }],
    ['skills with an adopted id, a newer one returned', { skills, id: 'c_1' }, 'c_1', 'c_2', { container: { skills, id: 'c_2' }, adoptedId: 'c_2' }],
    ["skills with the caller's id", { id: 'mine', skills }, undefined, 'c_1', { container: { id: 'mine', skills }, adoptedId: undefined }],
  ] as const)('%s', (_name, sent, adoptedId, returnedId, expected) => {
    expect(nextContainer(sent as never, adoptedId, returnedId)).toEqual(expected);
  });
});

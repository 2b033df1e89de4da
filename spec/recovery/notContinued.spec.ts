import { APITimeoutError, BadRequestError, InvalidArgumentError } from 'rx-anthropic';
import { continueOnDropAttempts } from '../../lib/recovery/continueOnDropAttempts';
import { notContinued } from '../../lib/recovery/notContinued';

describe('notContinued', () => {
  it('keeps the error and its class, adds why to its message and stack, and the cause when given', () => {
    const drop = new APITimeoutError(30_000);
    const refusal = new BadRequestError(400, undefined, 'No prefill', {});
    const same = notContinued(drop, 'the API refused the continuation', refusal);
    expect(same).toBe(drop);
    expect(same).toBeInstanceOf(APITimeoutError);
    expect(same.message).toBe('Request timed out after 30000 ms. The stream was not continued: the API refused the continuation.');
    expect(same.stack).toContain('The stream was not continued');
    expect((same as Error & { cause: unknown }).cause).toBe(refusal);
  });
});

describe('continueOnDropAttempts', () => {
  it('gives 0 when not given, and a whole number of at least 0 as it is', () => {
    expect(continueOnDropAttempts(undefined)).toBe(0);
    expect(continueOnDropAttempts(0)).toBe(0);
    expect(continueOnDropAttempts(5)).toBe(5);
  });

  it.each([[-1, '-1'], [2.5, '2.5'], [Number.POSITIVE_INFINITY, 'Infinity'], ['3', 'a string'], [null, 'null']])('refuses %p, naming the option and showing %s', (value, shown) => {
    expect(() => continueOnDropAttempts(value)).toThrow(InvalidArgumentError);
    expect(() => continueOnDropAttempts(value)).toThrow(`The continueOnDrop option must be a whole number of at least 0 (attempts to go on after a dropped connection), not ${shown}.`);
  });
});

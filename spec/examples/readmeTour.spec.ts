import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { lastValueFrom, toArray } from 'rxjs';
import { runTour } from '../../examples/tour';

describe('the README tour', () => {
  it('shows exactly what examples/tour.ts prints', async () => {
    const readme = readFileSync(resolve(__dirname, '../../README.md'), 'utf8');
    const block = /<!-- tour:begin -->\n```text\n([\s\S]*?)\n```\n<!-- tour:end -->/.exec(readme)?.[1];
    const printed = (await lastValueFrom(runTour().pipe(toArray()))).join('').replace(/^\n+|\n+$/g, '');
    expect(block).toBeDefined();
    expect(printed).toBe(block);
  });
});

import { tmpdir } from 'node:os';
import { outputOf, runCommand, runCommandSync } from './runCommand';

const node = process.execPath;
const cwd = tmpdir();

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('runCommand', () => {
  it('says that a command killed for its time timed out, with the command line and what it printed', async () => {
    const result = await runCommand(node, ['-e', 'console.log("started"); setTimeout(() => {}, 60_000)'], { cwd, timeoutMs: 2_000 });
    expect(result).toMatchObject({ ok: false, timedOut: true, exitCode: null, signal: 'SIGTERM', stdout: 'started\n' });
    expect(result.summary).toBe(`\`${node} -e console.log("started"); setTimeout(() => {}, 60_000)\` (in ${cwd}) timed out after 2000 ms (killed with SIGTERM)`);
    expect(() => outputOf(result)).toThrow(/timed out after 2000 ms \(killed with SIGTERM\); it printed:\nstarted$/);
  });

  // Long enough for the command to start its child on a busy machine.
  it('kills what the command started too', async () => {
    const grandchild = `require('node:child_process').spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)'], { stdio: 'ignore' })`;
    const result = await runCommand(node, ['-e', `console.log(${grandchild}.pid); setTimeout(() => {}, 60_000)`], { cwd, timeoutMs: 2_000 });
    expect(result.timedOut).toBe(true);
    const pid = Number(result.stdout.trim());
    expect(pid).toBeGreaterThan(0);
    const deadline = Date.now() + 3_000;
    while (isAlive(pid) && Date.now() < deadline) await new Promise((wake) => setTimeout(wake, 50));
    expect(isAlive(pid)).toBe(false);
  });

  it('tells an exit code and the output of a command that failed', async () => {
    const result = await runCommand(node, ['-e', 'console.error("no such thing"); process.exit(3)'], { cwd, timeoutMs: 10_000 });
    expect(result).toMatchObject({ ok: false, timedOut: false, exitCode: 3, signal: null });
    expect(result.summary).toMatch(/ exited with code 3$/);
    expect(() => outputOf(result)).toThrow(/exited with code 3; it printed:\nno such thing$/);
  });

  it('says that a command printed nothing when it did not', async () => {
    const result = await runCommand(node, ['-e', 'process.exit(1)'], { cwd, timeoutMs: 10_000 });
    expect(() => outputOf(result)).toThrow(/exited with code 1, printing nothing$/);
  });

  it('gives the output of a command that succeeded', async () => {
    const result = await runCommand(node, ['-e', 'console.log("fine")'], { cwd, timeoutMs: 10_000 });
    expect(result).toMatchObject({ ok: true, timedOut: false, exitCode: 0 });
    expect(outputOf(result)).toBe('fine\n');
  });

  it('says when a command could not start', async () => {
    const result = await runCommand('/no/such/command', [], { cwd, timeoutMs: 10_000 });
    expect(result.ok).toBe(false);
    expect(() => outputOf(result)).toThrow(/`\/no\/such\/command` .* ENOENT/s);
  });
});

describe('runCommandSync', () => {
  it('says that a command killed for its time timed out', () => {
    const result = runCommandSync(node, ['-e', 'setTimeout(() => {}, 60_000)'], { cwd, timeoutMs: 300 });
    expect(result).toMatchObject({ ok: false, timedOut: true, signal: 'SIGTERM' });
    expect(() => outputOf(result)).toThrow(/`.* -e setTimeout\(\(\) => \{\}, 60_000\)` \(in .*\) timed out after 300 ms \(killed with SIGTERM\), printing nothing$/);
  });

  it('gives the output of a command that succeeded, and the exit code of one that failed', () => {
    expect(outputOf(runCommandSync(node, ['-e', 'console.log("fine")'], { cwd, timeoutMs: 10_000 }))).toBe('fine\n');
    expect(() => outputOf(runCommandSync(node, ['-e', 'process.exit(2)'], { cwd, timeoutMs: 10_000 }))).toThrow(/exited with code 2/);
  });
});

/**
 * Preloaded (`node --import`) into every process the supervisor starts: the child's stdin is a pipe
 * from the supervisor, which writes nothing to it. When it closes, the supervisor is gone — stopped
 * or killed, SIGKILL included — and the child stops too (SIGTERM to itself, so it shuts down as on
 * Ctrl-C; killed after 5 s if that hangs). No process is left behind a dead supervisor.
 */
const stdin = process.stdin;
const orphaned = () => {
  // SIGKILL, not process.exit: exit handlers (a logger flushing into the dead pipe) must not hang it.
  setTimeout(() => process.kill(process.pid, 'SIGKILL'), 5000).unref();
  process.kill(process.pid, 'SIGTERM');
};
stdin.once('end', orphaned);
stdin.once('error', orphaned);
stdin.resume();
// Reading the pipe must not keep a child alive that would otherwise exit.
(stdin as unknown as { unref?: () => void }).unref?.();

export {};

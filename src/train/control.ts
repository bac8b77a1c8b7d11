/**
 * Pause, resume and stop for a running experiment. The worker (or a test, or the CLI's Ctrl-C
 * handler) calls pause/resume/stop; the trainer awaits `checkpoint()` between steps.
 * Pure: promises only, no timers of its own.
 */

export type RunState = 'running' | 'paused' | 'stopped';

export type RunStateListener = (state: RunState) => void;

export class RunControl {
  private currentState: RunState = 'running';
  private resumeWaiters: (() => void)[] = [];
  private readonly listeners = new Set<RunStateListener>();

  get state(): RunState {
    return this.currentState;
  }

  get stopRequested(): boolean {
    return this.currentState === 'stopped';
  }

  pause(): void {
    if (this.currentState !== 'running') return;
    this.setState('paused');
  }

  resume(): void {
    if (this.currentState !== 'paused') return;
    this.setState('running');
    this.releaseWaiters();
  }

  /** Final: a stopped run cannot be resumed. Wakes a paused trainer so it can finish cleanly. */
  stop(): void {
    if (this.currentState === 'stopped') return;
    this.setState('stopped');
    this.releaseWaiters();
  }

  /** Called at every step boundary: waits while paused; true means carry on, false means stop. */
  async checkpoint(): Promise<boolean> {
    while (this.currentState === 'paused') {
      await new Promise<void>((resolve) => this.resumeWaiters.push(resolve));
    }
    return this.currentState === 'running';
  }

  /** Returns an unsubscribe function. */
  onStateChange(listener: RunStateListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private setState(state: RunState): void {
    this.currentState = state;
    for (const listener of this.listeners) listener(state);
  }

  private releaseWaiters(): void {
    const waiters = this.resumeWaiters;
    this.resumeWaiters = [];
    for (const wake of waiters) wake();
  }
}

/** Lets queued messages (pause, stop) and UI work run between training steps. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

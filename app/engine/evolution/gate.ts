/**
 * The one pause/stop point of every kind of run (single, islands, measured): a run passes its
 * gate between pieces of work — between slices, rounds or scoring calls — where pausing,
 * stopping and snapshots cannot change the result.
 */
export class RunGate {
  private pausedFlag = false;
  private stoppedFlag = false;
  private wake: (() => void) | null = null;

  get paused(): boolean {
    return this.pausedFlag;
  }

  get stopped(): boolean {
    return this.stoppedFlag;
  }

  pause(): void {
    this.pausedFlag = true;
  }

  resume(): void {
    this.pausedFlag = false;
    this.poke();
  }

  stop(): void {
    this.stoppedFlag = true;
    this.poke();
  }

  /** wake a run waiting at the gate, so it can look at its requests (a snapshot) again */
  poke(): void {
    this.wake?.();
    this.wake = null;
  }

  /** settles at the next pause, resume, stop or poke */
  changed(): Promise<void> {
    return new Promise((resolve) => (this.wake = resolve));
  }

  /** wait while paused; false when the run is to stop */
  async pass(): Promise<boolean> {
    while (this.pausedFlag && !this.stoppedFlag) await this.changed();
    return !this.stoppedFlag;
  }
}

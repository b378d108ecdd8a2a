import type { ClockPort } from '../../../src/domain/ports/clock.port.js';

export class FakeClock implements ClockPort {
  constructor(public current: Date) {}
  now(): Date {
    return new Date(this.current.getTime());
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

/*
 * Instantaneous rates for INFO (Redis' trackInstantaneousMetric): every 100 ms
 * the cron records how far a counter moved per second since the last sample;
 * the rate shown is the mean of the last 16 samples.
 */

const SAMPLES = 16;
const SAMPLE_INTERVAL_MS = 100;

/** One sampled counter (commands processed, bytes read, bytes written). */
class SampledRate {
  private readonly samples = new Array<number>(SAMPLES).fill(0);
  private index = 0;
  private lastValue = 0;
  private lastTime = 0;

  /** Record the counter's current value at time `now` (ms). */
  sample(value: number, now: number): void {
    if (this.lastTime !== 0) {
      const elapsed = now - this.lastTime;
      const rate = elapsed > 0 ? ((value - this.lastValue) * 1000) / elapsed : 0;
      this.samples[this.index] = rate < 0 ? 0 : rate;
      this.index = (this.index + 1) % SAMPLES;
    }
    this.lastValue = value;
    this.lastTime = now;
  }

  /** Mean of the recorded per-second rates. */
  get perSecond(): number {
    let total = 0;
    for (const rate of this.samples) total += rate;
    return total / SAMPLES;
  }
}

/** The counters whose rates INFO shows. */
export interface MetricSources {
  commands(): number;
  inputBytes(): number;
  outputBytes(): number;
}

/** instantaneous_ops_per_sec, instantaneous_input_kbps, instantaneous_output_kbps. */
export class InstantaneousMetrics {
  private readonly sources: MetricSources;
  private readonly commands = new SampledRate();
  private readonly input = new SampledRate();
  private readonly output = new SampledRate();
  private lastSample = 0;

  constructor(sources: MetricSources) {
    this.sources = sources;
  }

  /** Called from the cron: takes a sample when 100 ms have passed since the last one. */
  tick(now: number): void {
    if (now - this.lastSample < SAMPLE_INTERVAL_MS) return;
    this.lastSample = now;
    this.commands.sample(this.sources.commands(), now);
    this.input.sample(this.sources.inputBytes(), now);
    this.output.sample(this.sources.outputBytes(), now);
  }

  get opsPerSecond(): number {
    return Math.round(this.commands.perSecond);
  }

  get inputKbps(): number {
    return this.input.perSecond / 1024;
  }

  get outputKbps(): number {
    return this.output.perSecond / 1024;
  }
}

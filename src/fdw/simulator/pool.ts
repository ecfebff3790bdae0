// The simulators a runtime reads (`api_url 'simulator:...'`), started on first use, one per
// distinct spec, and closed with the runtime.
import { startSimulator, type Simulator } from './server.js';
import type { SimulatorSpec } from './url.js';

export interface SimulatorEndpoint {
  url: string;
  secretKey: string;
}

export class SimulatorPool {
  private readonly started = new Map<string, Promise<Simulator>>();

  async get(spec: SimulatorSpec): Promise<SimulatorEndpoint> {
    const id = JSON.stringify(spec);
    let sim = this.started.get(id);
    if (!sim) {
      const { seed, users, orgs, memberships, latencyMs } = spec;
      sim = startSimulator({ seed, users, orgs, memberships, latencyMs });
      sim.catch(() => this.started.delete(id));
      this.started.set(id, sim);
    }
    const started = await sim;
    return { url: started.url, secretKey: spec.key === 'live' ? started.liveKey : started.secretKey };
  }

  async close(): Promise<void> {
    const all = [...this.started.values()];
    this.started.clear();
    await Promise.all(
      all.map((s) =>
        s.then(
          (sim) => sim.close(),
          () => undefined,
        ),
      ),
    );
  }
}

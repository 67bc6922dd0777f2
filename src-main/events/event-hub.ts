import { apiEvents, type EventName, type EventPayload } from '../../src-shared/contract/events';

export type EventSink = (event: EventName, payload: unknown) => void;

/** Fans main-side events out to every connected transport (IPC window, WebSocket clients). */
export class EventHub {
  private readonly sinks = new Set<EventSink>();

  subscribe(sink: EventSink): () => void {
    this.sinks.add(sink);
    return () => this.sinks.delete(sink);
  }

  emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
    // Validated on the way out too, so a bug here never reaches the renderer as garbage.
    const checked = apiEvents[event].parse(payload);
    for (const sink of this.sinks) sink(event, checked);
  }
}

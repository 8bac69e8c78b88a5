/**
 * @onecheck/telemetry — OpenTelemetry traces from the gateway through the subgraphs and across
 * Kafka (issue 6, item 6). One W3C trace context follows a change: the gateway's operation span,
 * the `traceparent` header of each subgraph request, the subgraph's request span, the
 * `traceparent` extension of the CloudEvent it records, and the consumer's span around the
 * handler. Logs carry `trace_id`/`span_id` (`traceLogFields`, a pino mixin).
 *
 * Nothing is exported by default, and then nothing is recorded either: spans still carry their
 * trace and span ids to the logs and the next hop (non-recording spans), at a fraction of the
 * cost (a quarter of the gateway's CPU per request went to recording spans nobody read).
 * `addSpanExporter` attaches one (tests: `InMemorySpanExporter`), and from then on spans record.
 */
import {
  context,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Link,
  type Span,
  type SpanOptions,
  type Tracer,
  type TracerProvider,
} from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import {
  BasicTracerProvider,
  SamplingDecision,
  SimpleSpanProcessor,
  type ReadableSpan,
  type Sampler,
  type SamplingResult,
  type SpanExporter,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';

export { InMemorySpanExporter, type ReadableSpan, type SpanExporter } from '@opentelemetry/sdk-trace-base';
export { SpanKind, type Span } from '@opentelemetry/api';

/** Hands each span to every attached processor; the list can change after the provider is registered. */
class FanOut implements SpanProcessor {
  readonly processors = new Set<SpanProcessor>();
  onStart(span: Parameters<SpanProcessor['onStart']>[0], parent: Context) {
    for (const p of this.processors) p.onStart(span, parent);
  }
  onEnd(span: ReadableSpan) {
    for (const p of this.processors) p.onEnd(span);
  }
  async forceFlush() {
    await Promise.all([...this.processors].map((p) => p.forceFlush()));
  }
  async shutdown() {
    await Promise.all([...this.processors].map((p) => p.shutdown()));
  }
}

let fanOut: FanOut | undefined;

/** Records spans only while something would read them; ids are made and propagated either way. */
const whenExported: Sampler = {
  shouldSample: (): SamplingResult => ({
    decision: fanOut?.processors.size ? SamplingDecision.RECORD_AND_SAMPLED : SamplingDecision.NOT_RECORD,
  }),
  toString: () => 'OneCheckWhenExported',
};

/**
 * A span opened inside another of this process's spans, while nothing is recorded, is that span
 * again: the same ids, and the same no-op for every call on it (nothing would read a span of its
 * own). So only the first span of a request makes ids and changes the active context:
 * @apollo/gateway opens five more inside the gateway's for each request (request, plan, execute,
 * fetch, post-processing), which cost 6 % of its CPU per request (issue 7 item 4). A span whose
 * parent is remote (the caller's traceparent) still gets ids of its own, so each service's logs
 * name its own span.
 */
class UnrecordedChildren implements Tracer {
  constructor(private readonly recording: Tracer) {}

  /** The enclosing span, when the new one would just be it again. */
  private same(options: SpanOptions | undefined, ctx: Context): Span | undefined {
    if (fanOut?.processors.size || options?.root) return undefined;
    const parent = trace.getSpan(ctx);
    const ids = parent?.spanContext();
    return parent && !parent.isRecording() && ids && !ids.isRemote && trace.isSpanContextValid(ids)
      ? parent
      : undefined;
  }

  startSpan(name: string, options?: SpanOptions, ctx: Context = context.active()): Span {
    return this.same(options, ctx) ?? this.recording.startSpan(name, options, ctx);
  }

  startActiveSpan<F extends (span: Span) => unknown>(name: string, fn: F): ReturnType<F>;
  startActiveSpan<F extends (span: Span) => unknown>(name: string, options: SpanOptions, fn: F): ReturnType<F>;
  startActiveSpan<F extends (span: Span) => unknown>(
    name: string,
    options: SpanOptions,
    ctx: Context,
    fn: F,
  ): ReturnType<F>;
  startActiveSpan<F extends (span: Span) => unknown>(
    name: string,
    ...args: [F] | [SpanOptions, F] | [SpanOptions, Context, F]
  ): ReturnType<F> {
    const fn = args[args.length - 1] as F;
    const options = args.length > 1 ? (args[0] as SpanOptions) : {};
    const ctx = args.length > 2 ? (args[1] as Context) : context.active();
    const parent = this.same(options, ctx);
    if (!parent) return this.recording.startActiveSpan(name, options, ctx, fn);
    // The parent is the span of ctx already: run there (where the caller is, when no context was given).
    return (ctx === context.active() ? fn(parent) : context.with(ctx, () => fn(parent))) as ReturnType<F>;
  }
}

/** Hands out the tracers of `provider`, each opening a span only where one would be new (above). */
function unrecordedChildren(provider: TracerProvider): TracerProvider {
  const tracers = new Map<string, Tracer>();
  return {
    getTracer(name, version, options) {
      const key = `${name}@${version ?? ''}`;
      let found = tracers.get(key);
      if (!found) tracers.set(key, (found = new UnrecordedChildren(provider.getTracer(name, version, options))));
      return found;
    },
  };
}

/**
 * Registers the tracer provider, the async context manager and the W3C propagator for this
 * process. Idempotent: the gateway, each subgraph and each consumer call it, whoever comes first
 * sets it up. (@apollo/gateway's own spans — plan, execute, fetch — use the same API and so
 * join the trace.)
 */
export function setupTelemetry(): void {
  if (fanOut) return;
  fanOut = new FanOut();
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(
    unrecordedChildren(new BasicTracerProvider({ spanProcessors: [fanOut], sampler: whenExported })),
  );
}

/** Sends every span that ends from now on to `exporter`; returns how to detach it. */
export function addSpanExporter(exporter: SpanExporter): () => void {
  setupTelemetry();
  const processor = new SimpleSpanProcessor(exporter);
  fanOut!.processors.add(processor);
  return () => void fanOut!.processors.delete(processor);
}

export const tracer = (): Tracer => trace.getTracer('onecheck');

/** Writes the active trace context (`traceparent`, `tracestate`) into a carrier, e.g. request headers. */
export function injectTraceContext(set: (name: string, value: string) => void, ctx: Context = context.active()): void {
  propagation.inject(ctx, undefined, {
    set: (_carrier, name, value) => set(name, value),
  });
}

/** The active context's W3C `traceparent`, if a span is active (what a CloudEvent carries). */
export function currentTraceparent(): string | undefined {
  let value: string | undefined;
  injectTraceContext((name, v) => {
    if (name === 'traceparent') value = v;
  });
  return value;
}

/** The remote parent a `traceparent` (and optional `tracestate`) names; the root context if none. */
export function contextFromTraceparent(traceparent?: string | null, tracestate?: string | null): Context {
  if (!traceparent) return ROOT_CONTEXT;
  const carrier: Record<string, string> = { traceparent, ...(tracestate ? { tracestate } : {}) };
  return propagation.extract(ROOT_CONTEXT, carrier);
}

/** A link to the span a traceparent names; undefined without a valid one. */
export function linkFromTraceparent(traceparent?: string | null, tracestate?: string | null): Link | undefined {
  const spanContext = trace.getSpanContext(contextFromTraceparent(traceparent, tracestate));
  return spanContext && trace.isSpanContextValid(spanContext) ? { context: spanContext } : undefined;
}

export interface SpanSpec {
  kind?: SpanKind;
  attributes?: Attributes;
  /** The parent; default the active context. */
  parent?: Context;
  /** Other spans this one works for (a batch's further events: OpenTelemetry's messaging conventions). */
  links?: Link[];
}

/**
 * Runs `fn` inside a new active span, ending it when `fn` settles; a throw is recorded on the
 * span (status ERROR) and rethrown.
 */
export function inSpan<T>(name: string, spec: SpanSpec, fn: (span: Span) => Promise<T>): Promise<T> {
  return tracer().startActiveSpan(
    name,
    { kind: spec.kind ?? SpanKind.INTERNAL, attributes: spec.attributes, links: spec.links },
    spec.parent ?? context.active(),
    async (span) => {
      try {
        return await fn(span);
      } catch (err) {
        span.recordException(err instanceof Error ? err : String(err));
        span.setStatus({ code: SpanStatusCode.ERROR, message: err instanceof Error ? err.message : String(err) });
        throw err;
      } finally {
        span.end();
      }
    },
  );
}

/** `trace_id` and `span_id` of the active span, for every log line (a pino `mixin`). */
export function traceLogFields(): { trace_id?: string; span_id?: string } {
  const span = trace.getSpan(context.active());
  if (!span) return {};
  const { traceId, spanId } = span.spanContext();
  return trace.isSpanContextValid(span.spanContext()) ? { trace_id: traceId, span_id: spanId } : {};
}

/**
 * Serves one incoming request inside a SERVER span, continuing the caller's trace when its
 * headers carry a `traceparent` (the gateway's, for a subgraph), else starting a new one.
 */
export function inServerSpan<T>(
  name: string,
  headers: Record<string, string | string[] | undefined>,
  attributes: Attributes,
  fn: (span: Span) => Promise<T>,
): Promise<T> {
  const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
  const parent = contextFromTraceparent(one(headers.traceparent), one(headers.tracestate));
  return inSpan(name, { kind: SpanKind.SERVER, attributes, parent }, fn);
}

/** The active span, if any (to name it or add attributes once more is known). */
export const activeSpan = (): Span | undefined => trace.getActiveSpan();

/**
 * The OpenTelemetry JS SDK's route to an OTLP/HTTP collector, set up for the `otlp` scenario:
 * `LoggerProvider` → `BatchLogRecordProcessor` → `OTLPLogExporter` (`@opentelemetry/exporter-logs-otlp-http`,
 * JSON), the 0.223 line, the last whose `engines` admit Node 20.
 */
import { SeverityNumber } from '@opentelemetry/api-logs';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchLogRecordProcessor, LoggerProvider } from '@opentelemetry/sdk-logs';
import type { OtlpWorkloadLogger } from './otlp-workload.ts';

/** How the batch processor is configured: the SDK's strongest simple setup, or its defaults. */
export type SdkSetup = 'sized' | 'defaults';

/** A provider, one logger per producer, and the end the SDK documents (`provider.shutdown()`). */
export interface SdkRoute {
  readonly loggers: readonly OtlpWorkloadLogger[];
  /** `forceFlush()` then `shutdown()`: exports what the processor holds and waits for it. */
  end(): Promise<void>;
}

/**
 * `sized`: `maxQueueSize` = every record of the run (so the queue never drops), `maxExportBatchSize`
 * 512 (its default, the same request size as sink-otlp's default), `scheduledDelayMillis` 1,000 and
 * `exportTimeoutMillis` 30,000 (defaults). `defaults`: the processor as it comes (queue of 2,048).
 */
export function sdkRoute(url: string, producers: number, totalRecords: number, setup: SdkSetup): SdkRoute {
  const exporter = new OTLPLogExporter({ url });
  const processor = new BatchLogRecordProcessor({
    exporter,
    ...(setup === 'sized' ? { maxQueueSize: totalRecords, maxExportBatchSize: 512 } : {}),
  });
  const provider = new LoggerProvider({ resource: resourceFromAttributes({ 'service.name': 'bench' }), processors: [processor] });
  const pid = process.pid;
  const loggers = Array.from({ length: producers }, (_, index): OtlpWorkloadLogger => {
    const otel = provider.getLogger('bench');
    const producer = `p${index + 1}`;
    return {
      producer,
      info(seq, msg, fields) {
        // producer, seq and pid as attributes, as sink-otlp sends them, so one check reads both outputs
        otel.emit({
          timestamp: Date.now(),
          severityNumber: SeverityNumber.INFO,
          severityText: 'info',
          body: msg,
          attributes: { producer, seq, pid, ...fields },
        });
      },
    };
  });
  return {
    loggers,
    async end() {
      await provider.forceFlush();
      await provider.shutdown();
    },
  };
}

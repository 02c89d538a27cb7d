// Main-Class: org.tsflink.bench.Throughput
/**
 * The throughput benchmark's job: an unthrottled generator of 4-field records, keyed by the first
 * field, reduced per key, into a discarding sink. `--sink-delay-every N` makes the sink spin for
 * `--sink-spin-us` microseconds every N records, to make it slower than the source.
 */
import { DataGeneratorSource, DiscardingSink, ParameterTool, StreamExecutionEnvironment, Types, WatermarkStrategy } from 'tsflink';

type Row = [number, number, number, string];

const ROW = Types.TUPLE([Types.INT, Types.LONG, Types.DOUBLE, Types.STRING]);

function spin(micros: number): void {
  const until = performance.now() + micros / 1000;
  while (performance.now() < until) {
    /* busy: a slow sink */
  }
}

export async function main(args: string[]): Promise<void> {
  const params = ParameterTool.fromArgs(args);
  const records = params.getInt('records', 5_000_000);
  const keys = params.getInt('keys', 10_000);
  const delayEvery = params.getInt('sink-delay-every', 0);
  const spinMicros = params.getInt('sink-spin-us', 0);
  const env = StreamExecutionEnvironment.getExecutionEnvironment();
  const source = new DataGeneratorSource((i: number): Row => [i % keys, i, i * 0.5, 'payload'], records, undefined, ROW);
  const reduced = env
    .fromSource(source, WatermarkStrategy.noWatermarks(), 'generator')
    .keyBy((row: Row) => row[0])
    .reduce((a: Row, b: Row): Row => [a[0], a[1] + b[1], a[2] + b[2], b[3]])
    .returns(ROW)
    .name('sum-per-key');
  if (delayEvery > 0) {
    let seen = 0;
    reduced
      .map((row: Row) => {
        if (++seen % delayEvery === 0) spin(spinMicros);
        return row;
      })
      .returns(ROW)
      .name('slow-sink')
      .sinkTo(new DiscardingSink<Row>());
  } else {
    reduced.sinkTo(new DiscardingSink<Row>());
  }
  await env.execute('Throughput');
}

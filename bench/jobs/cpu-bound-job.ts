// Main-Class: org.tsflink.bench.CpuBound
/**
 * The cores benchmark's CPU-bound job: a generator of sequence numbers, a map that spends about
 * 1 ms of pure computation on each (`--rounds` rounds of xorshift, deterministic: no clock, no
 * I/O), and a discarding sink. Source and map chain into one task per slot, so the job's speed is
 * the number of cores its slots really get.
 */
import { DataGeneratorSource, DiscardingSink, ParameterTool, StreamExecutionEnvironment, Types, WatermarkStrategy } from 'tsflink';

/** `rounds` rounds of xorshift32 from `seed`; the result depends on every round, so none can be skipped. */
function work(seed: number, rounds: number): number {
  let x = seed | 1;
  for (let i = 0; i < rounds; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
  }
  return x;
}

export async function main(args: string[]): Promise<void> {
  const params = ParameterTool.fromArgs(args);
  const records = params.getInt('records', 4_000);
  const rounds = params.getInt('rounds', 500_000);
  const env = StreamExecutionEnvironment.getExecutionEnvironment();
  env
    .fromSource(new DataGeneratorSource((i: number) => i, records, undefined, Types.LONG), WatermarkStrategy.noWatermarks(), 'sequence')
    .map((i: number) => work(i, rounds))
    .returns(Types.INT)
    .name('cpu-work')
    .sinkTo(new DiscardingSink<number>());
  await env.execute('CpuBound');
}

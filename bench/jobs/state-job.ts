// Main-Class: org.tsflink.bench.KeyedState
/**
 * The rescale benchmark's job: an endless, rate-limited stream over --keys keys; each key keeps a
 * --payload-byte string and a counter in keyed state, so the job's state is about keys × payload.
 * With --hot h, every key is visited once and from then on only the first h keys, so most of the
 * state stays as it is (what incremental checkpoints are for).
 */
import {
  DataGeneratorSource,
  DiscardingSink,
  KeyedProcessFunction,
  ParameterTool,
  StreamExecutionEnvironment,
  Types,
  ValueStateDescriptor,
  WatermarkStrategy,
  type Collector,
  type KeyedProcessContext,
  type RuntimeContext,
  type ValueState,
} from 'tsflink';

class KeepPayload extends KeyedProcessFunction<number, [number, number], number> {
  private payload: ValueState<string> | undefined;
  private count: ValueState<number> | undefined;

  constructor(private readonly bytes: number) {
    super();
  }

  override open(context: RuntimeContext): void {
    this.payload = context.getState(new ValueStateDescriptor<string>('payload', Types.STRING));
    this.count = context.getState(new ValueStateDescriptor<number>('count', Types.INT));
  }

  processElement(value: [number, number], _ctx: KeyedProcessContext<number>, out: Collector<number>): void {
    if (this.payload!.value() === undefined && this.bytes > 0) this.payload!.update('x'.repeat(this.bytes));
    this.count!.update((this.count!.value() ?? 0) + 1);
    out.collect(value[0]);
  }
}

export async function main(args: string[]): Promise<void> {
  const params = ParameterTool.fromArgs(args);
  const keys = params.getInt('keys', 1000);
  const payload = params.getInt('payload', 0);
  const rate = params.getInt('rate', 20_000);
  const hot = params.getInt('hot', 0);
  const env = StreamExecutionEnvironment.getExecutionEnvironment();
  const key = (i: number): number => (hot <= 0 ? i % keys : i < keys ? i : (i - keys) % hot);
  const source = new DataGeneratorSource(
    (i: number): [number, number] => [key(i), i],
    Number.MAX_SAFE_INTEGER,
    rate,
    Types.TUPLE([Types.INT, Types.LONG]),
  );
  env
    .fromSource(source, WatermarkStrategy.noWatermarks(), 'keys')
    .keyBy((value: [number, number]) => value[0])
    .process(new KeepPayload(payload))
    .returns(Types.INT)
    .name('keep-payload')
    .sinkTo(new DiscardingSink<number>());
  await env.execute('KeyedState');
}

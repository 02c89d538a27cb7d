package org.tsflink.bench;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.util.ratelimit.GuavaRateLimiter;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.api.java.utils.ParameterTool;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.util.Collector;

/**
 * The Java twin of bench/jobs/state-job.ts: an endless stream over --keys keys at --rate records/s
 * per source subtask; each key keeps a --payload-byte string and a counter in keyed state, so the
 * job's state is about keys x payload.
 */
public final class KeyedState {
    private KeyedState() {}

    /** Keeps the payload and a count per key, and forwards the key. */
    static final class KeepPayload extends KeyedProcessFunction<Integer, Tuple2<Integer, Long>, Integer> {
        private final int bytes;
        private transient ValueState<String> payload;
        private transient ValueState<Integer> count;

        KeepPayload(int bytes) {
            this.bytes = bytes;
        }

        @Override
        public void open(OpenContext context) {
            payload = getRuntimeContext().getState(new ValueStateDescriptor<>("payload", Types.STRING));
            count = getRuntimeContext().getState(new ValueStateDescriptor<>("count", Types.INT));
        }

        @Override
        public void processElement(Tuple2<Integer, Long> value, Context ctx, Collector<Integer> out) throws Exception {
            if (payload.value() == null && bytes > 0) payload.update("x".repeat(bytes));
            Integer seen = count.value();
            count.update(seen == null ? 1 : seen + 1);
            out.collect(value.f0);
        }
    }

    public static void main(String[] args) throws Exception {
        ParameterTool params = ParameterTool.fromArgs(args);
        int keys = params.getInt("keys", 1000);
        int payload = params.getInt("payload", 0);
        double rate = params.getDouble("rate", 20_000);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        // tsflink's generator rate is per subtask; Flink's perSecond() divides by the parallelism, so
        // each subtask gets a limiter of its own at the full rate.
        DataGeneratorSource<Tuple2<Integer, Long>> source =
                new DataGeneratorSource<>(
                        i -> Tuple2.of((int) (i % keys), i),
                        Long.MAX_VALUE,
                        parallelism -> new GuavaRateLimiter(rate),
                        Types.TUPLE(Types.INT, Types.LONG));
        env.fromSource(source, WatermarkStrategy.noWatermarks(), "keys")
                .keyBy(value -> value.f0)
                .process(new KeepPayload(payload))
                .name("keep-payload")
                .sinkTo(new DiscardingSink<>());
        env.execute("KeyedState");
    }
}

package org.tsflink.bench;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple4;
import org.apache.flink.api.java.utils.ParameterTool;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

/**
 * The Java twin of bench/jobs/throughput-job.ts: an unthrottled generator of 4-field records
 * (key = index % keys, index, index * 0.5, "payload"), keyed by the first field, summed per key,
 * into a discarding sink.
 */
public final class Throughput {
    private Throughput() {}

    public static void main(String[] args) throws Exception {
        ParameterTool params = ParameterTool.fromArgs(args);
        long records = params.getLong("records", 5_000_000L);
        int keys = params.getInt("keys", 10_000);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        DataGeneratorSource<Tuple4<Integer, Long, Double, String>> source =
                new DataGeneratorSource<>(
                        i -> Tuple4.of((int) (i % keys), i, i * 0.5, "payload"),
                        records,
                        Types.TUPLE(Types.INT, Types.LONG, Types.DOUBLE, Types.STRING));
        env.fromSource(source, WatermarkStrategy.noWatermarks(), "generator")
                .keyBy(row -> row.f0)
                .reduce((a, b) -> Tuple4.of(a.f0, a.f1 + b.f1, a.f2 + b.f2, b.f3))
                .name("sum-per-key")
                .sinkTo(new DiscardingSink<>());
        env.execute("Throughput");
    }
}

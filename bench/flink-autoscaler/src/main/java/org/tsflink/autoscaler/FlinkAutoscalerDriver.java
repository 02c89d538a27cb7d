package org.tsflink.autoscaler;

import org.apache.flink.api.common.JobID;
import org.apache.flink.autoscaler.JobAutoScalerContext;
import org.apache.flink.autoscaler.JobAutoScalerImpl;
import org.apache.flink.autoscaler.RestApiMetricsCollector;
import org.apache.flink.autoscaler.ScalingExecutor;
import org.apache.flink.autoscaler.ScalingMetricEvaluator;
import org.apache.flink.autoscaler.config.AutoScalerOptions;
import org.apache.flink.autoscaler.state.InMemoryAutoScalerStateStore;
import org.apache.flink.configuration.Configuration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Flink's autoscaler library driving a cluster over REST, wired as flink-autoscaler-standalone's
 * entrypoint wires it (which Maven Central does not serve): Flink's REST metric collector, metric
 * evaluator and scaling executor inside JobAutoScalerImpl, an in-memory state store, and a realizer
 * that PUTs /jobs/:id/resource-requirements. A single-threaded control loop scales every listed job
 * each interval; every decision, application and error is a JSON line on stdout.
 *
 * <p>Arguments are Flink options as {@code --key value} pairs; the standalone autoscaler's
 * {@code autoscaler.standalone.fetcher.flink-cluster.host/port} and
 * {@code autoscaler.standalone.control-loop.interval} are read with their defaults (localhost, 8081, 10 s).
 */
public final class FlinkAutoscalerDriver {
    private static final Logger LOG = LoggerFactory.getLogger(FlinkAutoscalerDriver.class);

    public static void main(String[] args) throws Exception {
        Configuration conf = parse(args);
        String host = conf.getString("autoscaler.standalone.fetcher.flink-cluster.host", "localhost");
        int port = Integer.parseInt(conf.getString("autoscaler.standalone.fetcher.flink-cluster.port", "8081"));
        Duration interval = parseDuration(conf.getString("autoscaler.standalone.control-loop.interval", "10 s"));
        var fetcher = new TsflinkJobListFetcher("http://" + host + ":" + port, conf, conf.get(AutoScalerOptions.FLINK_CLIENT_TIMEOUT));

        var events = new ReportingEventHandler();
        var stateStore = new InMemoryAutoScalerStateStore<JobID, JobAutoScalerContext<JobID>>();
        var autoscaler = new JobAutoScalerImpl<>(
                new RestApiMetricsCollector<>(),
                new ScalingMetricEvaluator(),
                new ScalingExecutor<>(events, stateStore),
                events,
                new ResourceRequirementsRealizer(),
                stateStore);

        LOG.info("Autoscaling the jobs of {}:{} every {} ms", host, port, interval.toMillis());
        JsonLine.print(Map.of("event", "started", "timeMs", System.currentTimeMillis()));
        Map<JobID, JobAutoScalerContext<JobID>> previous = new HashMap<>();
        var loop = Executors.newSingleThreadScheduledExecutor();
        loop.scheduleWithFixedDelay(() -> {
            try {
                Map<JobID, JobAutoScalerContext<JobID>> current = new HashMap<>();
                for (var context : fetcher.fetch()) current.put(context.getJobKey(), context);
                // As the standalone executor: forget the state of jobs the cluster no longer lists.
                previous.keySet().stream().filter(k -> !current.containsKey(k)).forEach(autoscaler::cleanup);
                previous.clear();
                previous.putAll(current);
                for (var context : current.values()) scaleOne(autoscaler, context);
            } catch (Throwable e) {
                report("list", null, e);
            }
        }, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        Runtime.getRuntime().addShutdownHook(new Thread(loop::shutdownNow));
    }

    private static void scaleOne(JobAutoScalerImpl<JobID, JobAutoScalerContext<JobID>> autoscaler, JobAutoScalerContext<JobID> context) {
        try {
            autoscaler.scale(context);
        } catch (Throwable e) {
            report("scale", context.getJobID(), e);
        }
    }

    private static void report(String phase, JobID job, Throwable e) {
        LOG.warn("The autoscaler failed to {} {}", phase, job == null ? "the jobs" : job, e);
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("event", "error");
        line.put("timeMs", System.currentTimeMillis());
        line.put("phase", phase);
        line.put("jobId", job == null ? null : job.toHexString());
        Throwable root = e;
        while (root.getCause() != null) root = root.getCause();
        line.put("message", root.getClass().getSimpleName() + ": " + root.getMessage());
        JsonLine.print(line);
    }

    /** {@code --key value} pairs into a Configuration. */
    static Configuration parse(String[] args) {
        Configuration conf = new Configuration();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("Expected --key value pairs, got: " + args[i]);
            }
            conf.setString(args[i].substring(2), args[++i]);
        }
        return conf;
    }

    private static Duration parseDuration(String text) {
        return org.apache.flink.util.TimeUtils.parseDuration(text);
    }
}

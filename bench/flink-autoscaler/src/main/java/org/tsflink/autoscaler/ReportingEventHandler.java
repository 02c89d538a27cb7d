package org.tsflink.autoscaler;

import org.apache.flink.api.common.JobID;
import org.apache.flink.autoscaler.JobAutoScalerContext;
import org.apache.flink.autoscaler.ScalingSummary;
import org.apache.flink.autoscaler.event.AutoScalerEventHandler;
import org.apache.flink.autoscaler.metrics.EvaluatedScalingMetric;
import org.apache.flink.autoscaler.metrics.ScalingMetric;
import org.apache.flink.runtime.jobgraph.JobVertexID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The event handler the standalone autoscaler would log through; here every scaling decision and
 * event also becomes one JSON line on stdout, with the vertex, old and new parallelism and the
 * evaluated metrics behind it, so the caller can report what Flink's autoscaler decided.
 */
final class ReportingEventHandler implements AutoScalerEventHandler<JobID, JobAutoScalerContext<JobID>> {
    private static final Logger LOG = LoggerFactory.getLogger(ReportingEventHandler.class);

    @Override
    public void handleEvent(
            JobAutoScalerContext<JobID> context, Type type, String reason, String message, String messageKey, Duration interval) {
        LOG.info("Event {} {} for job {}: {}", type, reason, context.getJobID(), message);
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("event", "event");
        line.put("timeMs", System.currentTimeMillis());
        line.put("jobId", context.getJobID().toHexString());
        line.put("type", type.name());
        line.put("reason", reason);
        line.put("message", message);
        JsonLine.print(line);
    }

    @Override
    public void handleScalingEvent(
            JobAutoScalerContext<JobID> context, Map<JobVertexID, ScalingSummary> summaries, String message, Duration interval) {
        List<Map<String, Object>> vertices = new ArrayList<>();
        summaries.forEach((id, summary) -> {
            Map<String, Object> vertex = new LinkedHashMap<>();
            vertex.put("id", id.toHexString());
            vertex.put("from", summary.getCurrentParallelism());
            vertex.put("to", summary.getNewParallelism());
            Map<String, Object> metrics = new LinkedHashMap<>();
            for (Map.Entry<ScalingMetric, EvaluatedScalingMetric> m : summary.getMetrics().entrySet()) {
                metrics.put(m.getKey().name(), Map.of("current", m.getValue().getCurrent(), "average", m.getValue().getAverage()));
            }
            vertex.put("metrics", metrics);
            vertices.add(vertex);
        });
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("event", "decision");
        line.put("timeMs", System.currentTimeMillis());
        line.put("jobId", context.getJobID().toHexString());
        line.put("message", message);
        line.put("vertices", vertices);
        JsonLine.print(line);
        AutoScalerEventHandler.super.handleScalingEvent(context, summaries, message, interval);
    }
}

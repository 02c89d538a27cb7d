package org.tsflink.autoscaler;

import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.autoscaler.JobAutoScalerContext;
import org.apache.flink.autoscaler.config.AutoScalerOptions;
import org.apache.flink.autoscaler.realizer.ScalingRealizer;
import org.apache.flink.autoscaler.tuning.ConfigChanges;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.runtime.jobgraph.JobResourceRequirements;
import org.apache.flink.runtime.jobgraph.JobVertexID;
import org.apache.flink.runtime.jobgraph.JobVertexResourceRequirements;
import org.apache.flink.runtime.rest.messages.EmptyRequestBody;
import org.apache.flink.runtime.rest.messages.JobMessageParameters;
import org.apache.flink.runtime.rest.messages.job.JobResourceRequirementsBody;
import org.apache.flink.runtime.rest.messages.job.JobResourceRequirementsHeaders;
import org.apache.flink.runtime.rest.messages.job.JobResourcesRequirementsUpdateHeaders;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Applies the autoscaler's parallelism overrides in place, as the standalone autoscaler's rescale-API
 * realizer does: only on a RUNNING adaptive-scheduler job, by reading the job's resource requirements
 * (GET /jobs/:id/resource-requirements), setting each overridden vertex to [1, p], and PUTting them
 * back when something changed. Each PUT is reported as an "applied" JSON line.
 */
final class ResourceRequirementsRealizer implements ScalingRealizer<JobID, JobAutoScalerContext<JobID>> {
    private static final Logger LOG = LoggerFactory.getLogger(ResourceRequirementsRealizer.class);

    @Override
    public void realizeParallelismOverrides(JobAutoScalerContext<JobID> context, Map<String, String> overrides) throws Exception {
        var conf = context.getConfiguration();
        if (conf.get(JobManagerOptions.SCHEDULER) != JobManagerOptions.SchedulerType.Adaptive) {
            LOG.warn("Job {} does not run on the adaptive scheduler: cannot rescale in place.", context.getJobID());
            return;
        }
        if (context.getJobStatus() != JobStatus.RUNNING) {
            LOG.warn("Job {} is {}: cannot rescale in place.", context.getJobID(), context.getJobStatus());
            return;
        }
        long timeoutS = conf.get(AutoScalerOptions.FLINK_CLIENT_TIMEOUT).toSeconds();
        var parameters = new JobMessageParameters();
        parameters.jobPathParameter.resolve(context.getJobID());
        try (var client = context.getRestClusterClient()) {
            var current = client.sendRequest(new JobResourceRequirementsHeaders(), parameters, EmptyRequestBody.getInstance())
                    .get(timeoutS, TimeUnit.SECONDS)
                    .asJobResourceRequirements()
                    .orElseThrow(() -> new IllegalStateException("The job has no resource requirements"))
                    .getJobVertexParallelisms();
            Map<JobVertexID, JobVertexResourceRequirements> wanted = new HashMap<>(current);
            Map<String, Object> changes = new LinkedHashMap<>();
            for (var entry : current.entrySet()) {
                String override = overrides.get(entry.getKey().toHexString());
                if (override == null) continue;
                var parallelism = new JobVertexResourceRequirements.Parallelism(1, Integer.parseInt(override));
                if (!parallelism.equals(entry.getValue().getParallelism())) {
                    wanted.put(entry.getKey(), new JobVertexResourceRequirements(parallelism));
                    changes.put(entry.getKey().toHexString(),
                            Map.of("from", entry.getValue().getParallelism().getUpperBound(), "to", parallelism.getUpperBound()));
                }
            }
            if (changes.isEmpty()) {
                LOG.info("Resource requirements of job {} already match the overrides.", context.getJobID());
                return;
            }
            client.sendRequest(new JobResourcesRequirementsUpdateHeaders(), parameters,
                            new JobResourceRequirementsBody(new JobResourceRequirements(wanted)))
                    .get(timeoutS, TimeUnit.SECONDS);
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("event", "applied");
            line.put("timeMs", System.currentTimeMillis());
            line.put("jobId", context.getJobID().toHexString());
            line.put("vertices", changes);
            JsonLine.print(line);
        }
    }

    @Override
    public void realizeConfigOverrides(JobAutoScalerContext<JobID> context, ConfigChanges changes) {
        // As the standalone realizer: memory tuning needs a TaskManager restart, which the REST API cannot do.
        if (!changes.getOverrides().isEmpty()) LOG.info("Ignoring configuration overrides {}", changes.getOverrides());
    }
}

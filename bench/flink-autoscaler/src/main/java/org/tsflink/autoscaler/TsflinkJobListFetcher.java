package org.tsflink.autoscaler;

import org.apache.flink.api.common.JobID;
import org.apache.flink.autoscaler.JobAutoScalerContext;
import org.apache.flink.client.program.rest.RestClusterClient;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.flink.runtime.client.JobStatusMessage;
import org.apache.flink.runtime.highavailability.nonha.standalone.StandaloneClientHAServices;
import org.apache.flink.runtime.rest.messages.EmptyRequestBody;
import org.apache.flink.runtime.rest.messages.JobMessageParameters;
import org.apache.flink.runtime.rest.messages.job.JobManagerJobConfigurationHeaders;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Lists the cluster's jobs as the standalone autoscaler's flink-cluster fetcher does: GET /jobs
 * through Flink's RestClusterClient, then each job's GET /jobs/:id/jobmanager/config laid over the
 * driver's own options, which gives the job's context (the realizer reads its scheduler from it).
 */
final class TsflinkJobListFetcher {
    private final String restAddress;
    private final Configuration baseConf;
    private final Duration timeout;

    TsflinkJobListFetcher(String restAddress, Configuration baseConf, Duration timeout) {
        this.restAddress = restAddress;
        this.baseConf = baseConf;
        this.timeout = timeout;
    }

    /** A REST client for the cluster, made the way the entrypoint makes it (no HA, a fixed address). */
    RestClusterClient<String> client(Configuration conf) throws Exception {
        return new RestClusterClient<>(conf, "tsflink", (c, e) -> new StandaloneClientHAServices(restAddress));
    }

    /** One context per job the cluster lists, whatever its state. */
    List<JobAutoScalerContext<JobID>> fetch() throws Exception {
        List<JobAutoScalerContext<JobID>> contexts = new ArrayList<>();
        try (var client = client(new Configuration(baseConf))) {
            for (JobStatusMessage job : client.listJobs().get(timeout.toSeconds(), TimeUnit.SECONDS)) {
                var conf = jobConfiguration(client, job.getJobId());
                contexts.add(new JobAutoScalerContext<>(job.getJobId(), job.getJobId(), job.getJobState(), conf,
                        new UnregisteredMetricsGroup(), () -> client(conf)));
            }
        }
        return contexts;
    }

    private Configuration jobConfiguration(RestClusterClient<String> client, JobID jobId) throws Exception {
        var parameters = new JobMessageParameters();
        parameters.jobPathParameter.resolve(jobId);
        var entries = client.sendRequest(JobManagerJobConfigurationHeaders.getInstance(), parameters, EmptyRequestBody.getInstance())
                .get(timeout.toSeconds(), TimeUnit.SECONDS);
        var conf = new Configuration(baseConf);
        entries.forEach(entry -> conf.setString(entry.getKey(), entry.getValue()));
        return conf;
    }
}

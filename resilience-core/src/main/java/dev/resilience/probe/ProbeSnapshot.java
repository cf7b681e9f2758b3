package dev.resilience.probe;

import dev.resilience.circuitbreaker.Criticality;
import java.time.Duration;
import java.time.Instant;

/**
 * A probe's last results, immutable; what health, meters and the endpoint read, never running a check.
 *
 * @param name the probe
 * @param status the decided status
 * @param criticality what a DOWN status means for health and the degradation level
 * @param consecutiveFailures failed checks since the last success
 * @param consecutiveSuccesses successful checks since the last failure
 * @param lastLatency how long the last check took; zero before the first
 * @param lastSuccess when a check last succeeded; {@code null} before the first success
 * @param error the message of the last check if it failed; {@code null} after a success
 * @param successfulChecks checks that succeeded since the probe was created
 * @param failedChecks checks that failed (or timed out) since the probe was created
 */
public record ProbeSnapshot(String name, ProbeStatus status, Criticality criticality, int consecutiveFailures,
        int consecutiveSuccesses, Duration lastLatency, Instant lastSuccess, String error, long successfulChecks,
        long failedChecks) {

    static ProbeSnapshot initial(String name, Criticality criticality) {
        return new ProbeSnapshot(name, ProbeStatus.UNKNOWN, criticality, 0, 0, Duration.ZERO, null, null, 0, 0);
    }

    ProbeSnapshot succeeded(Duration latency, Instant at, int successThreshold) {
        int successes = consecutiveSuccesses + 1;
        ProbeStatus next = status != ProbeStatus.UP && successes >= successThreshold ? ProbeStatus.UP : status;
        return new ProbeSnapshot(name, next, criticality, 0, successes, latency, at, null, successfulChecks + 1,
                failedChecks);
    }

    ProbeSnapshot failed(Duration latency, String message, int failureThreshold) {
        int failures = consecutiveFailures + 1;
        ProbeStatus next = status != ProbeStatus.DOWN && failures >= failureThreshold ? ProbeStatus.DOWN : status;
        return new ProbeSnapshot(name, next, criticality, failures, 0, latency, lastSuccess, message,
                successfulChecks, failedChecks + 1);
    }

    ProbeSnapshot withCheckCounts(long successful, long failed) {
        return new ProbeSnapshot(name, status, criticality, consecutiveFailures, consecutiveSuccesses, lastLatency,
                lastSuccess, error, successful, failed);
    }

    ProbeSnapshot withCriticality(Criticality value) {
        return new ProbeSnapshot(name, status, value, consecutiveFailures, consecutiveSuccesses, lastLatency,
                lastSuccess, error, successfulChecks, failedChecks);
    }
}

package dev.resilience.retry;

/**
 * Counts of a retry's calls since it was created; each call counts once, when it ends.
 *
 * @param successfulWithoutRetry calls that succeeded at the first attempt
 * @param successfulWithRetry calls that succeeded after one or more retries
 * @param failedWithRetry calls that failed after one or more retries
 * @param failedWithoutRetry calls that failed with a failure that is not retried
 * @param retryAttempts retries made (first attempts not counted)
 */
public record RetryMetrics(long successfulWithoutRetry, long successfulWithRetry, long failedWithRetry,
        long failedWithoutRetry, long retryAttempts) {
}

package dev.resilience.autoconfigure;

import dev.resilience.circuitbreaker.CircuitBreaker;
import dev.resilience.circuitbreaker.CircuitBreakerConfig;
import dev.resilience.circuitbreaker.CircuitBreakerMetrics;
import dev.resilience.circuitbreaker.CircuitBreakerState;
import dev.resilience.circuitbreaker.StateTransition;
import dev.resilience.degradation.DegradationOverride;
import dev.resilience.degradation.LevelChange;
import java.util.Locale;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Logs each breaker transition and level change once: WARN when a breaker opens or the level rises, INFO when
 * it recovers, with the rates that caused it and the configured thresholds. Nothing is logged per call.
 */
final class ResilienceEventLogger {

    private static final Log logger = LogFactory.getLog(ResilienceEventLogger.class);

    void onTransition(CircuitBreaker breaker, StateTransition transition) {
        CircuitBreakerConfig config = breaker.getConfig();
        CircuitBreakerMetrics metrics = breaker.getMetrics();
        String message = "Circuit breaker '" + transition.name() + "' " + transition.from() + " -> " + transition.to()
                + " (failure rate " + rate(metrics.failureRate()) + " of threshold " + config.failureRateThreshold()
                + "%, slow-call rate " + rate(metrics.slowCallRate()) + " of threshold "
                + config.slowCallRateThreshold() + "%, " + metrics.bufferedCalls() + " calls, criticality "
                + config.criticality().name().toLowerCase(Locale.ROOT) + ")";
        if (transition.to() == CircuitBreakerState.OPEN || transition.to() == CircuitBreakerState.FORCED_OPEN) {
            logger.warn(message);
        } else {
            logger.info(message);
        }
    }

    void onLevelChange(LevelChange change) {
        String message = "Degradation level " + change.from() + " -> " + change.to() + " (" + change.cause() + ")";
        if (change.to().compareTo(change.from()) > 0) {
            logger.warn(message);
        } else {
            logger.info(message);
        }
    }

    void onOverride(DegradationOverride override) {
        logger.warn(override == null ? "Operator's degradation override cleared"
                : "Operator's degradation override: " + override.describe());
    }

    private static String rate(float rate) {
        return rate < 0 ? "not assessed" : rate + "%";
    }
}

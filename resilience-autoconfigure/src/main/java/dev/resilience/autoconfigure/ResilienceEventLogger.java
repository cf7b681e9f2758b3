package dev.resilience.autoconfigure;

import dev.resilience.circuitbreaker.CircuitBreaker;
import dev.resilience.circuitbreaker.CircuitBreakerConfig;
import dev.resilience.circuitbreaker.CircuitBreakerMetrics;
import dev.resilience.circuitbreaker.CircuitBreakerState;
import dev.resilience.circuitbreaker.StateTransition;
import dev.resilience.degradation.DegradationOverride;
import dev.resilience.degradation.LevelChange;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * Logs each breaker transition, level change and change of the operator's override once: WARN when a breaker
 * opens or the level rises, INFO when it recovers, with the rates that caused it and the configured thresholds.
 * Nothing is logged per call. Each line also carries its facts as key-value pairs ({@code resilience.instance},
 * {@code resilience.from}, ...), which Boot's structured logging ({@code logging.structured.format.console=ecs})
 * writes as fields.
 */
final class ResilienceEventLogger {

    private static final Logger logger = LoggerFactory.getLogger(ResilienceEventLogger.class);

    void onTransition(CircuitBreaker breaker, StateTransition transition) {
        CircuitBreakerConfig config = breaker.getConfig();
        CircuitBreakerMetrics metrics = breaker.getMetrics();
        String criticality = config.criticality().name().toLowerCase(Locale.ROOT);
        String message = "Circuit breaker '" + transition.name() + "' " + transition.from() + " -> " + transition.to()
                + " (failure rate " + rate(metrics.failureRate()) + " of threshold " + config.failureRateThreshold()
                + "%, slow-call rate " + rate(metrics.slowCallRate()) + " of threshold "
                + config.slowCallRateThreshold() + "%, " + metrics.bufferedCalls() + " calls, criticality "
                + criticality + ")";
        boolean opened = transition.to() == CircuitBreakerState.OPEN
                || transition.to() == CircuitBreakerState.FORCED_OPEN;
        LoggingEventBuilder line = (opened ? logger.atWarn() : logger.atInfo())
                .addKeyValue("resilience.kind", "circuitbreaker")
                .addKeyValue("resilience.instance", transition.name())
                .addKeyValue("resilience.from", transition.from().name())
                .addKeyValue("resilience.to", transition.to().name())
                .addKeyValue("resilience.failure_rate", metrics.failureRate())
                .addKeyValue("resilience.failure_rate_threshold", config.failureRateThreshold())
                .addKeyValue("resilience.slow_call_rate", metrics.slowCallRate())
                .addKeyValue("resilience.slow_call_rate_threshold", config.slowCallRateThreshold())
                .addKeyValue("resilience.buffered_calls", metrics.bufferedCalls())
                .addKeyValue("resilience.criticality", criticality);
        String heldOpenBy = breaker.getHeldOpenBy();
        if (heldOpenBy != null) {
            line = line.addKeyValue("resilience.held_open_by", heldOpenBy);
        }
        line.log(message);
    }

    void onLevelChange(LevelChange change) {
        String message = "Degradation level " + change.from() + " -> " + change.to() + " (" + change.cause() + ")";
        LoggingEventBuilder line = (change.to().compareTo(change.from()) > 0 ? logger.atWarn() : logger.atInfo())
                .addKeyValue("resilience.kind", "degradation")
                .addKeyValue("resilience.from", change.from().name())
                .addKeyValue("resilience.to", change.to().name())
                .addKeyValue("resilience.computed_level", change.computed().name())
                .addKeyValue("resilience.impaired", String.join(",", change.impaired()))
                .addKeyValue("resilience.set_by", change.setByOperator() ? "operator" : "dependencies");
        line = withOverride(line, change.override());
        line.log(message);
    }

    void onOverride(DegradationOverride override) {
        LoggingEventBuilder line = logger.atWarn().addKeyValue("resilience.kind", "degradation_override");
        withOverride(line, override).log(override == null ? "Operator's degradation override cleared"
                : "Operator's degradation override: " + override.describe());
    }

    private static LoggingEventBuilder withOverride(LoggingEventBuilder line, DegradationOverride override) {
        if (override == null) {
            return line;
        }
        line = line.addKeyValue("resilience.override", override.level().name());
        if (override.mode() != null) {
            line = line.addKeyValue("resilience.mode", override.mode());
        }
        if (override.reason() != null) {
            line = line.addKeyValue("resilience.reason", override.reason());
        }
        if (override.expiresAt() != null) {
            line = line.addKeyValue("resilience.expires_at", override.expiresAt().toString());
        }
        return line;
    }

    private static String rate(float rate) {
        return rate < 0 ? "not assessed" : rate + "%";
    }
}

package dev.resilience.autoconfigure.properties;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;

/** Configuration of every policy, under {@code resilience.*}. */
@ConfigurationProperties("resilience")
public class ResilienceProperties {

    /** Circuit breakers: resilience.circuitbreaker.configs.* and resilience.circuitbreaker.instances.*. */
    @NestedConfigurationProperty
    private final CircuitBreakerProperties circuitbreaker = new CircuitBreakerProperties();

    /** Retries: resilience.retry.configs.* and resilience.retry.instances.*. */
    @NestedConfigurationProperty
    private final RetryProperties retry = new RetryProperties();

    /** Bulkheads: resilience.bulkhead.configs.* and resilience.bulkhead.instances.*. */
    @NestedConfigurationProperty
    private final BulkheadProperties bulkhead = new BulkheadProperties();

    /** Rate limiters: resilience.ratelimiter.configs.* and resilience.ratelimiter.instances.*. */
    @NestedConfigurationProperty
    private final RateLimiterProperties ratelimiter = new RateLimiterProperties();

    /** Timeouts: resilience.timeout.configs.* and resilience.timeout.instances.*. */
    @NestedConfigurationProperty
    private final TimeoutProperties timeout = new TimeoutProperties();

    /** Degradable features: resilience.degradation.features.*. */
    @NestedConfigurationProperty
    private final DegradationProperties degradation = new DegradationProperties();

    /** Fault injection: resilience.chaos.*, off by default. */
    @NestedConfigurationProperty
    private final ChaosProperties chaos = new ChaosProperties();

    /** Dependency probes: resilience.probes.<name>.*. */
    private final Map<String, ProbeSpec> probes = new LinkedHashMap<>();

    /** Last known good answers: resilience.last-known-good.configs.* and resilience.last-known-good.instances.*. */
    @NestedConfigurationProperty
    private final LastKnownGoodProperties lastKnownGood = new LastKnownGoodProperties();

    /** The recent-events buffer the actuator endpoint shows. */
    @NestedConfigurationProperty
    private final EventsProperties events = new EventsProperties();

    /** The live dashboard page beside the actuator endpoint. */
    @NestedConfigurationProperty
    private final DashboardProperties dashboard = new DashboardProperties();

    /** How annotated methods are guarded: resilience.aop.mode. */
    @NestedConfigurationProperty
    private final AopProperties aop = new AopProperties();

    public AopProperties getAop() {
        return aop;
    }

    /** Where the operator's runtime changes are kept and shared: resilience.control.*. */
    @NestedConfigurationProperty
    private final ControlProperties control = new ControlProperties();

    public ControlProperties getControl() {
        return control;
    }

    public Map<String, ProbeSpec> getProbes() {
        return probes;
    }

    public RateLimiterProperties getRatelimiter() {
        return ratelimiter;
    }

    public TimeoutProperties getTimeout() {
        return timeout;
    }

    public DegradationProperties getDegradation() {
        return degradation;
    }

    public ChaosProperties getChaos() {
        return chaos;
    }

    public EventsProperties getEvents() {
        return events;
    }

    public DashboardProperties getDashboard() {
        return dashboard;
    }

    public CircuitBreakerProperties getCircuitbreaker() {
        return circuitbreaker;
    }

    public RetryProperties getRetry() {
        return retry;
    }

    public BulkheadProperties getBulkhead() {
        return bulkhead;
    }

    public LastKnownGoodProperties getLastKnownGood() {
        return lastKnownGood;
    }
}

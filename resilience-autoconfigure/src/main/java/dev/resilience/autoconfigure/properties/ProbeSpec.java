package dev.resilience.autoconfigure.properties;

import dev.resilience.circuitbreaker.Criticality;
import java.net.URI;
import java.time.Duration;

/** The properties of one dependency probe, {@code resilience.probes.<name>.*}; unset values take the defaults. */
public class ProbeSpec {

    /** HTTP(S) URL to GET; a 2xx or 3xx answer within the timeout is a success. */
    private URI url;

    /** Host to open a TCP connection to (with port); a connection within the timeout is a success. */
    private String host;

    /** Port to open a TCP connection to (with host). */
    private Integer port;

    /** Time between two checks (default: 10s). */
    private Duration interval;

    /** A check that takes longer is a failure (default: 2s). */
    private Duration timeout;

    /** Time before the first check (default: 0). */
    private Duration initialDelay;

    /** Consecutive failures that make an UP or UNKNOWN probe DOWN (default: 3). */
    private Integer failureThreshold;

    /** Consecutive successes that make a DOWN or UNKNOWN probe UP (default: 1). */
    private Integer successThreshold;

    /** What a DOWN probe means for health and the degradation level (default: important). */
    private Criticality criticality;

    /** The circuit breaker this probe holds open while DOWN; a breaker configured under resilience.circuitbreaker.instances. */
    private String circuitBreaker;

    public URI getUrl() {
        return url;
    }

    public void setUrl(URI url) {
        this.url = url;
    }

    public String getHost() {
        return host;
    }

    public void setHost(String host) {
        this.host = host;
    }

    public Integer getPort() {
        return port;
    }

    public void setPort(Integer port) {
        this.port = port;
    }

    public Duration getInterval() {
        return interval;
    }

    public void setInterval(Duration interval) {
        this.interval = interval;
    }

    public Duration getTimeout() {
        return timeout;
    }

    public void setTimeout(Duration timeout) {
        this.timeout = timeout;
    }

    public Duration getInitialDelay() {
        return initialDelay;
    }

    public void setInitialDelay(Duration initialDelay) {
        this.initialDelay = initialDelay;
    }

    public Integer getFailureThreshold() {
        return failureThreshold;
    }

    public void setFailureThreshold(Integer failureThreshold) {
        this.failureThreshold = failureThreshold;
    }

    public Integer getSuccessThreshold() {
        return successThreshold;
    }

    public void setSuccessThreshold(Integer successThreshold) {
        this.successThreshold = successThreshold;
    }

    public Criticality getCriticality() {
        return criticality;
    }

    public void setCriticality(Criticality criticality) {
        this.criticality = criticality;
    }

    public String getCircuitBreaker() {
        return circuitBreaker;
    }

    public void setCircuitBreaker(String circuitBreaker) {
        this.circuitBreaker = circuitBreaker;
    }
}

package dev.resilience.autoconfigure.properties;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The properties of one last-known-good configuration or instance; unset values are inherited. */
public class LastKnownGoodSpec implements PolicySpec {

    /** Shared configuration to start from (default: "default"). */
    private String baseConfig;

    /** A stored answer this old or older is not served (default: 1h). */
    private Duration maxStaleness;

    /** The cache the answers live in, in the application's CacheManager or the starter's own (default: the instance name). */
    private String cacheName;

    /** Entries of the starter's own in-memory cache, used when the application has no CacheManager (default: 10000). */
    private Integer maximumSize;

    /** Whether the stored answer is tried before the @Fallback methods instead of after them (default: false). */
    private Boolean beforeFallback;

    /** Exception classes that may be answered from the store, subclasses included (default: java.lang.Exception). */
    private List<String> applyOn;

    /** Exception classes that are never answered from the store; wins over apply-on. */
    private List<String> skipOn;

    @Override
    public Map<String, Object> values() {
        return new Values().put("max-staleness", maxStaleness).put("cache-name", cacheName)
                .put("maximum-size", maximumSize).put("before-fallback", beforeFallback).put("apply-on", applyOn)
                .put("skip-on", skipOn).map();
    }

    @Override
    public String getBaseConfig() {
        return baseConfig;
    }

    public void setBaseConfig(String baseConfig) {
        this.baseConfig = baseConfig;
    }

    public Duration getMaxStaleness() {
        return maxStaleness;
    }

    public void setMaxStaleness(Duration maxStaleness) {
        this.maxStaleness = maxStaleness;
    }

    public String getCacheName() {
        return cacheName;
    }

    public void setCacheName(String cacheName) {
        this.cacheName = cacheName;
    }

    public Integer getMaximumSize() {
        return maximumSize;
    }

    public void setMaximumSize(Integer maximumSize) {
        this.maximumSize = maximumSize;
    }

    public Boolean getBeforeFallback() {
        return beforeFallback;
    }

    public void setBeforeFallback(Boolean beforeFallback) {
        this.beforeFallback = beforeFallback;
    }

    public List<String> getApplyOn() {
        return applyOn;
    }

    public void setApplyOn(List<String> applyOn) {
        this.applyOn = applyOn;
    }

    public List<String> getSkipOn() {
        return skipOn;
    }

    public void setSkipOn(List<String> skipOn) {
        this.skipOn = skipOn;
    }
}
